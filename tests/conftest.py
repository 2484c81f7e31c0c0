"""Test configuration shared by tests/core and tests/gui."""

import atexit
import os
import shutil
import tempfile

# Headless everywhere: the tests, not the user, choose the offscreen platform.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Keep QSettings written by the tests away from the user's own settings.
_CONFIG_HOME = tempfile.mkdtemp(prefix="agp-test-config-")
os.environ["XDG_CONFIG_HOME"] = _CONFIG_HOME
atexit.register(shutil.rmtree, _CONFIG_HOME, ignore_errors=True)
