"""The lab's fields for a classifier task: its data (points, noise, test share) and its
network (hidden layers, neurons a layer, activation), in one row under the settings.

Each field says what it is in its own text ("400 points", "3 layers"), so that the
row takes one line of the lab's height; in a narrow lab it takes two.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QWidget

from autograd_playground.core.training.classifier_settings import (
    ACTIVATIONS,
    CLASSIFIER_RANGES,
    NOISE_RANGE,
    ClassifierSettings,
)
from autograd_playground.gui.ui_text import tr


def network_text(network: ClassifierSettings) -> str:
    """The network in a few words, as summaries show it: "3 × 16 tanh"."""
    return tr(
        "{layers} × {neurons} {activation}",
        layers=network.hidden_layers,
        neurons=network.neurons,
        activation=network.activation,
    )


def _spin(key: str, prefix: str, suffix: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(*CLASSIFIER_RANGES[key])
    spin.setPrefix(prefix)
    spin.setSuffix(suffix)
    spin.setToolTip(tip)
    return spin


class ClassifierFields(QObject):
    """The classifier's fields and the row that holds them; the form shows the row
    only while a classifier task is chosen."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.points_spin = _spin(
            "points", "", tr(" points"), tr("How many points the data set has, both classes")
        )
        self.points_spin.setSingleStep(50)
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(*NOISE_RANGE)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setPrefix(tr("noise "))
        self.noise_spin.setToolTip(tr("How far each point is moved at random: 0 none, 1 a lot"))
        self.test_spin = _spin(
            "test_percent",
            tr("test "),
            " %",
            tr("The share of the points kept aside: the model never trains on them"),
        )
        self.test_spin.setSingleStep(5)
        self.layers_spin = _spin(
            "hidden_layers", "", tr(" hidden layers"), tr("How many hidden layers the MLP has")
        )
        self.neurons_spin = _spin(
            "neurons", "", tr(" neurons"), tr("How many neurons each hidden layer has")
        )
        self.activation_combo = QComboBox()
        for name in ACTIVATIONS:
            self.activation_combo.addItem(name, name)
        self.activation_combo.setToolTip(tr("The hidden layers' activation function"))
        self.data_label, self.network_label = QLabel(tr("Data")), QLabel(tr("Network"))
        self.row = QWidget()
        self._grid = QGridLayout(self.row)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._lines = 0
        self.arrange(wide=True)
        for changed in (
            self.points_spin.valueChanged,
            self.noise_spin.valueChanged,
            self.test_spin.valueChanged,
            self.layers_spin.valueChanged,
            self.neurons_spin.valueChanged,
            self.activation_combo.currentIndexChanged,
        ):
            changed.connect(self.changed)

    def _groups(self) -> list[list[QWidget]]:
        return [
            [self.data_label, self.points_spin, self.noise_spin, self.test_spin],
            [self.network_label, self.layers_spin, self.neurons_spin, self.activation_combo],
        ]

    def arrange(self, wide: bool) -> None:
        """The data and the network on one line where the lab is ``wide``, else on two."""
        lines = 1 if wide else 2
        if lines == self._lines:
            return
        self._lines = lines
        for group in self._groups():
            for widget in group:
                self._grid.removeWidget(widget)
        for index, group in enumerate(self._groups()):
            row, start = (0, 5 * index) if wide else (index, 0)
            for offset, widget in enumerate(group):
                self._grid.addWidget(widget, row, start + offset)
        for column in range(10):
            self._grid.setColumnStretch(column, 1 if column == 9 else 0)

    def width_on_one_line(self) -> int:
        """The least width the fields take on one line."""
        spacing = max(self._grid.horizontalSpacing(), 0)
        widgets = [widget for group in self._groups() for widget in group]
        return sum(widget.sizeHint().width() + spacing for widget in widgets) + 2 * spacing

    def settings(self) -> ClassifierSettings:
        """The classifier settings as the fields show them."""
        return ClassifierSettings(
            points=self.points_spin.value(),
            noise=round(self.noise_spin.value(), 2),
            test_percent=self.test_spin.value(),
            hidden_layers=self.layers_spin.value(),
            neurons=self.neurons_spin.value(),
            activation=self.activation_combo.currentData(),
        )

    def show_settings(self, settings: ClassifierSettings) -> None:
        """Show ``settings`` in the fields."""
        self.points_spin.setValue(settings.points)
        self.noise_spin.setValue(settings.noise)
        self.test_spin.setValue(settings.test_percent)
        self.layers_spin.setValue(settings.hidden_layers)
        self.neurons_spin.setValue(settings.neurons)
        self.activation_combo.setCurrentIndex(self.activation_combo.findData(settings.activation))
