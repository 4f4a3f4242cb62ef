# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the web client for the readme, taken by the tours' tests.

Only when the environment variable PST_SCREENSHOTS is set (to anything but
"" or "0"): normal test runs write nothing into the addon.
"""

import base64
import contextlib
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

_logger = logging.getLogger(__name__)

README_DIR = Path(__file__).resolve().parent.parent / "readme"


def screenshots_wanted():
    return os.environ.get("PST_SCREENSHOTS", "") not in ("", "0")


class TourScreenshotMixin:
    """For HttpCase: save the browser's last screen of a tour into readme/."""

    @contextlib.contextmanager
    def screenshot_at_end(self, name, directory=None):
        """Within the block, a tour's last screen is saved as readme/<name>.png
        (or <directory>/<name>.png: screenshots to look at, not for the readme).

        The browser is captured just before the test closes it, that is once
        the tour has succeeded (or failed: the test then fails anyway).
        """
        if not screenshots_wanted():
            yield
            return
        stop = ChromeBrowser.stop

        def capture_then_stop(browser):
            try:
                result = browser._websocket_request(
                    "Page.captureScreenshot", params={"format": "png"}, timeout=20
                )
                if result and result.get("data"):
                    path = Path(directory or README_DIR) / f"{name}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(base64.b64decode(result["data"]))
                    _logger.info("Screenshot saved to %s", path)
            except Exception as error:  # pylint: disable=broad-except
                _logger.warning("No screenshot %s: %s", name, error)
            stop(browser)

        with patch.object(ChromeBrowser, "stop", capture_then_stop):
            yield
