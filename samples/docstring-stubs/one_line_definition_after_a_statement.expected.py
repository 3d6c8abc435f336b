"""Errors of a protocol."""

__all__ = ["ReplyError", "TempError", "Tips"]


class _Base(Exception): pass


class ReplyError(_Base):
    """Reply error."""

    pass  # unexpected reply


class TempError(_Base):
    """Temp error."""

    pass  # 4xx


class Tips:
    """Call tips."""

    def show(self): 'doc'
    show.tip = "(self)"

    def hide(self):
        """Hide."""
        pass
