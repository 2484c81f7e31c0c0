"""◀ Step back, ▶ Step, Play and a speed slider: the controls both steppers walk their steps with.

The player knows nothing of what a step is: the panel that owns it says how many steps
there are, which one is shown, and how to show another.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QTextBrowser, QWidget

from autograd_playground.gui.appearance.themes import set_text_role
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


class SteppingPanel(QWidget):
    """What both steppers' panels share: the player, a note on the graph, the step's page.

    A subclass keeps ``index``, says how many steps it has (``_step_count``) and shows one
    (``_show``); the buttons, Play and the speed are the player's.
    """

    def __init__(self, default_speed: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = 0
        self.player = StepPlayer(
            self, default_speed, self._step_count, lambda: self.index, self._show
        )
        self.graph_note = QLabel()
        self.graph_note.setWordWrap(True)
        set_text_role(self.graph_note, "warning")
        self.graph_note.hide()
        self.body = QTextBrowser()

    def _step_count(self) -> int:
        raise NotImplementedError

    def _show(self, index: int) -> None:
        raise NotImplementedError

    @property
    def back_button(self) -> QPushButton:
        return self.player.back_button

    @property
    def step_button(self) -> QPushButton:
        return self.player.step_button

    @property
    def play_button(self) -> QPushButton:
        return self.player.play_button

    @property
    def speed(self) -> QSlider:
        return self.player.speed

    @property
    def speed_label(self) -> QLabel:
        return self.player.speed_label

    def step_forward(self) -> bool:
        return self.player.step_forward()

    def step_back(self) -> bool:
        return self.player.step_back()

    def toggle_play(self) -> None:
        self.player.toggle_play()

    def play(self) -> None:
        self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def is_playing(self) -> bool:
        return self.player.is_playing()

    def set_graph_note(self, text: str | None) -> None:
        """Say why the current step's node is not marked in the graph (None hides it)."""
        self.graph_note.setText(text or "")
        self.graph_note.setVisible(bool(text))
