"""The lab's classifier tasks as a learner sees them: the plane, the neurons, the scores."""

import numpy as np
import pytest

from autograd_playground.core.training.classifier_report import BOUNDARY_GRID
from autograd_playground.gui.training.classifier_view import colored
from autograd_playground.gui.training.panel import TrainingPanel
from tests.gui.test_training_panel import choose, run_to_the_end


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    yield widget
    assert widget.shutdown()


def set_network(panel, layers, neurons, activation="tanh"):
    fields = panel.form.classifier
    fields.layers_spin.setValue(layers)
    fields.neurons_spin.setValue(neurons)
    fields.activation_combo.setCurrentIndex(fields.activation_combo.findData(activation))


def test_training_a_classifier_draws_its_boundary_neurons_and_scores(qtbot, panel):
    choose(panel, "classify_circles")
    plots = panel.plots
    assert plots.classifier_view.isVisible()
    assert plots.accuracy_plot.isVisible()
    assert not plots.param_plot.isVisible()
    assert not plots.grad_plot.isVisible()
    assert panel.form.classifier.row.isVisible()
    set_network(panel, 1, 5, "relu")
    panel.form.classifier.points_spin.setValue(200)
    panel.length_spin.setValue(120)
    run_to_the_end(qtbot, panel)
    qtbot.waitUntil(lambda: not panel._redraw.isActive())  # the last report's frame
    view = plots.classifier_view
    probabilities = view._report.probabilities
    assert probabilities.shape == (BOUNDARY_GRID, BOUNDARY_GRID)
    assert probabilities.min() < 0.2
    assert probabilities.max() > 0.8
    image = view.image.image  # the probabilities in the classes' colours
    assert image.shape == (BOUNDARY_GRID, BOUNDARY_GRID, 3)
    np.testing.assert_array_equal(image, colored(probabilities, (0.0, 1.0), view._lut))
    # A sure class 0 is nearer the orange end of the colours, a sure class 1 the blue.
    ends = view._lut[[0, -1]].astype(float)
    for sure, end in ((probabilities < 0.05, 0), (probabilities > 0.95, 1)):
        distance = np.linalg.norm(image[sure][:, None, :].astype(float) - ends, axis=2)
        assert (distance.argmin(axis=1) == end).all()
    assert view.thumbnail_count() == 5  # the first hidden layer's five neurons
    assert view.train_points.data.size == 160
    assert view.test_points.data.size == 40
    curves = plots.classifier_curves
    steps, accuracy = curves.train_curve.getData()
    assert steps[-1] == 120
    assert len(steps) >= 2
    assert accuracy[-1] > accuracy[0]
    assert accuracy[-1] > 0.9
    assert len(curves.test_curve.getData()[0]) == len(steps)
    test_loss = curves.test_loss_curve.getData()[1]
    assert test_loss[-1] < test_loss[0]
    legend = [label.text for _sample, label in plots.loss_plot.getPlotItem().legend.items]
    assert legend == ["train", "smoothed", "test"]


def test_a_seed_task_keeps_its_plots_and_has_no_classifier_fields(qtbot, panel):
    choose(panel, "classify_xor")
    choose(panel, "quadratic")
    plots = panel.plots
    assert not panel.form.classifier.row.isVisible()
    assert not panel.code_button.isVisible()
    assert plots.param_plot.isVisible()
    assert plots.fit_plot.isVisible()
    assert not plots.classifier_view.isVisible()
    assert not plots.accuracy_plot.isVisible()
    legend = [label.text for _sample, label in plots.loss_plot.getPlotItem().legend.items]
    assert legend == ["per step", "smoothed"]
    panel.length_spin.setValue(20)
    run_to_the_end(qtbot, panel)
    assert plots.classifier_curves.train_accuracy.x.size == 0


def test_open_as_code_puts_the_task_with_its_settings_in_the_editor(qtbot, window):
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    choose(panel, "classify_spirals")
    set_network(panel, 2, 6, "sigmoid")
    panel.seed_spin.setValue(4)
    assert panel.code_button.isVisible()
    panel.code_button.click()
    code = window.editor.toPlainText()
    assert "model = build_mlp(2, 6, 'sigmoid')" in code
    assert "SEED = 4" in code
    assert "def spirals(count, noise, generator):" in code
    assert "Ctrl+Enter" in window.status.text()
    window.editor.document().undo()  # one edit: Ctrl+Z brings the old code back
    assert window.editor.toPlainText() == ""


def test_a_restarts_faint_line_names_the_network_and_data_it_had():
    from autograd_playground.core.training.classifier_settings import ClassifierSettings
    from autograd_playground.core.training.restart import ComparedSettings
    from autograd_playground.gui.training.previous_curve import previous_run_label

    old = ClassifierSettings(points=300, noise=0.25, hidden_layers=2, neurons=8)
    label = previous_run_label(ComparedSettings(lrs=(0.03,), network=old, data=old))
    assert label == "previous run (lr 0.03, 2 × 8 tanh, 300 points, noise 0.25, test 20%)"


def test_a_session_keeps_the_classifiers_data_and_network(qtbot, panel):
    problems = panel.apply_training_settings(
        {
            "task": "classify_blobs",
            "classifier": {"points": 250, "noise": 0.3, "neurons": 6, "activation": "relu"},
        }
    )
    assert problems == []
    fields = panel.form.classifier
    assert (fields.points_spin.value(), fields.noise_spin.value()) == (250, 0.3)
    assert fields.activation_combo.currentData() == "relu"
    saved = panel.training_settings()
    assert saved["classifier"] == {
        "points": 250,
        "noise": 0.3,
        "test_percent": 20,
        "hidden_layers": 1,  # the blobs' own
        "neurons": 6,
        "activation": "relu",
    }
    assert panel.config().classifier == fields.settings()
    assert "1 × 6 relu" in panel.form.summary._parts


OWN_CLASSIFIER = (
    "torch.manual_seed(0)\n"
    "X = torch.cat([torch.randn(40, 2) + 2, torch.randn(40, 2) - 2])\n"
    "y = torch.cat([torch.zeros(40), torch.ones(40)]).long()\n"
    "model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))\n"
    "loss_fn = nn.CrossEntropyLoss()\n"
)


def test_your_own_two_class_model_gets_the_plane_once_it_trains(qtbot):
    widget = TrainingPanel(code_source=lambda: OWN_CLASSIFIER)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    choose(widget, "user")
    plots = widget.plots
    assert not plots.classifier_view.isVisible()  # the code is not known to be one yet
    widget.length_spin.setValue(20)
    run_to_the_end(qtbot, widget)
    qtbot.waitUntil(lambda: not widget._redraw.isActive())
    assert plots.classifier_view.isVisible()
    assert plots.accuracy_plot.isVisible()
    assert not plots.param_plot.isVisible()
    view = plots.classifier_view
    assert view._report.probabilities.shape == (BOUNDARY_GRID, BOUNDARY_GRID)
    assert view.thumbnail_count() == 4
    assert view.train_points.data.size == 80
    assert view.test_points.data.size == 0
    assert widget.shutdown()
