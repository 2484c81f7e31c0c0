"""◀ Step back, ▶ Step, Play and a speed slider: the controls both steppers walk their steps with.

The player knows nothing of what a step is: the panel that owns it says how many steps
there are, which one is shown, and how to show another.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from autograd_playground.gui.ui_text import tr

MAX_SPEED = 10  # steps per second


class StepPlayer(QObject):
    """Buttons and a timer that move a panel's shown step; ``update`` after each change."""

    def __init__(
        self,
        owner: QWidget,
        default_speed: int,
        count: Callable[[], int],
        index: Callable[[], int],
        show: Callable[[int], None],
    ) -> None:
        super().__init__(owner)
        self._count, self._index, self._show = count, index, show
        self.back_button = QPushButton(tr("◀ Step back"))
        self.step_button = QPushButton(tr("▶ Step"))
        self.play_button = QPushButton(tr("Play"))
        self.back_button.clicked.connect(self.step_back)
        self.step_button.clicked.connect(self.step_forward)
        self.play_button.clicked.connect(self.toggle_play)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, MAX_SPEED)
        self.speed.setValue(default_speed)
        self.speed.setToolTip(tr("Steps per second while playing"))
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_tick)
        self._on_speed_changed(self.speed.value())

    def rows(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The buttons' row and the speed's row, for the owner's layout."""
        buttons = QHBoxLayout()
        for button in (self.back_button, self.step_button, self.play_button):
            buttons.addWidget(button)
        speed_row = QHBoxLayout()
        speed_row.addWidget(QLabel(tr("Speed:")))
        speed_row.addWidget(self.speed, 1)
        speed_row.addWidget(self.speed_label)
        return buttons, speed_row

    def step_forward(self) -> bool:
        """Show the next step; False at the last one."""
        if self._index() >= self._count() - 1:
            return False
        self._show(self._index() + 1)
        return True

    def step_back(self) -> bool:
        """Show the previous step; False at the first one."""
        if self._count() == 0 or self._index() == 0:
            return False
        self._show(self._index() - 1)
        return True

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        """Advance one step per tick; from the last step, start again at the first."""
        if not self._count():
            return
        if self._index() >= self._count() - 1:
            self._show(0)
        self.timer.start()
        self.update()

    def pause(self) -> None:
        self.timer.stop()
        self.update()

    def is_playing(self) -> bool:
        return self.timer.isActive()

    def update(self) -> None:
        """Enable what can move from the step shown now."""
        count, index = self._count(), self._index()
        self.back_button.setEnabled(count > 0 and index > 0)
        self.step_button.setEnabled(count > 0 and index < count - 1)
        self.play_button.setEnabled(count > 1)
        self.play_button.setText(tr("Pause") if self.timer.isActive() else tr("Play"))

    def _on_tick(self) -> None:
        if not self.step_forward():
            self.pause()

    def _on_speed_changed(self, steps_per_second: int) -> None:
        self.timer.setInterval(round(1000 / steps_per_second))
        if steps_per_second > 1:
            speed = tr("{steps_per_second} steps/s", steps_per_second=steps_per_second)
        else:
            speed = tr("{steps_per_second} step/s", steps_per_second=steps_per_second)
        self.speed_label.setText(speed)
