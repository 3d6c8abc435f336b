"""Errors of a protocol."""

__all__ = ["ReplyError", "TempError", "Tips"]


class _Base(Exception): pass
class ReplyError(_Base): pass  # unexpected reply
class TempError(_Base): pass  # 4xx


class Tips:
    """Call tips."""

    def show(self): 'doc'
    show.tip = "(self)"
    def hide(self): pass
