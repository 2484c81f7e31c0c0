"""The name of the app's own folders under the user's data and log directories.

Both the crash log and the autosave keep their files in folders of this name, so it lives
below both of them.
"""

APP_NAME = "autograd-playground"
