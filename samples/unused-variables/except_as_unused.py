"""``except E as exc`` with ``exc`` never read becomes ``except E``."""

import logging

LOG = logging.getLogger(__name__)


def delete(api, server):
    try:
        api.delete(server)
    except (KeyError, ValueError) as exc:
        LOG.warning("delete failed")
    except RuntimeError as error:
        LOG.warning("delete failed: %s", error)
    except Exception as exc:  # anything else
        raise
