"""Test configuration shared by tests/core and tests/gui."""

import os
import tempfile

# Headless everywhere: the tests, not the user, choose the offscreen platform.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Keep QSettings written by the tests away from the user's own settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="agp-test-config-")
