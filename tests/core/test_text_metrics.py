"""Box sizes worked out here, held to the layout engine's own for the same labels."""

import dataclasses

import pytest

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.playground import Playground
from autograd_playground.core.render.dot_source import dot_names, layout_dot, layout_lines
from autograd_playground.core.render.layout import parse_plain_layout, run_dot
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics, box_size
from autograd_playground.core.run.evaluator import Evaluator

# Each case is one box's lines: what the app draws, and what trips an estimate up.
LABELS = [
    ["x"],
    ["TBackward0"],
    ["AccumulateGrad"],
    ["model.layers.0.self_attn.in_proj_weight", "(192, 64)"],
    ["w", "(2, 1)", "data [-0.12345, -0.12345]", "grad [-0.12345, -0.12345]"],
    ["‖grad‖", "3 × 4 float32", "values: 1, 2, …, 3"],  # characters beyond ASCII
    ["权重", "标量"],  # a learner's Chinese names
    ['say "hi" \\ back', "{a|b} @ ~ ^ `"],  # quotes and a backslash, escaped in DOT
    ["tab\there"],  # a control character counts for nothing
    ["two", ""],  # an empty last line adds no line
    ["", "after an empty first line"],
    ["MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM"],
    [" !\"#$%&'()*+,-./0123456789:;<=>?@", "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"],
    ["abcdefghijklmnopqrstuvwxyz{|}~"],
]


def engine_boxes(labels: list[list[str]]) -> list[tuple[float, float]]:
    """The boxes the engine itself makes for ``labels``, in inches, as the app's DOT styles them."""

    def quote(lines):
        escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
        return '"' + "\\n".join(escaped) + '"'

    source = [
        "digraph {",
        '  node [shape=box style="rounded,filled" fontname="Helvetica" '
        'fontsize=11 height=0.3 margin="0.08,0.04"];',
    ]
    source += [f"  n{index} [label={quote(lines)}];" for index, lines in enumerate(labels)]
    source.append("}")
    plain = run_dot("\n".join(source) + "\n", "plain").decode()
    boxes = {}
    for line in plain.splitlines():
        fields = line.split(" ", 6)
        if fields[0] == "node":
            boxes[int(fields[1][1:])] = (float(fields[4]), float(fields[5]))
    return [boxes[index] for index in range(len(labels))]


def test_box_sizes_match_the_engines_estimate():
    for lines, (width, height) in zip(LABELS, engine_boxes(LABELS), strict=True):
        ours = box_size(lines, ENGINE_METRICS)
        # The engine prints five significant digits: 1.0091 for 1.00908.
        assert ours == pytest.approx((width, height), rel=1e-4, abs=1e-4), lines


def test_widths_count_non_ascii_bytes_as_spaces_and_lines_add_line_heights():
    width = ENGINE_METRICS.text_width
    assert width("a") == pytest.approx(0.55615 * 11, rel=1e-4)
    assert width("标") == pytest.approx(3 * width(" "))
    assert width("a\tb") == pytest.approx(width("ab"))
    two = box_size(["a" * 40, "b"], ENGINE_METRICS)
    three = box_size(["a" * 40, "b", "c"], ENGINE_METRICS)
    assert three[0] == two[0]
    assert three[1] - two[1] == pytest.approx(1.2 * 11 / 72)
    assert box_size(["x"], ENGINE_METRICS) == (0.75, 0.3)  # the smallest box


@pytest.fixture(scope="module")
def graph():
    evaluator = Evaluator()
    evaluator.run(
        "lin = nn.Linear(3, 2)\n"
        "x = torch.randn(4, 3, requires_grad=True)\n"
        "h = torch.tanh(lin(x))\n"
        "loss = (h ** 2).mean()\n"
        "loss.backward()\n"
    )
    return extract_graph(evaluator.user_names(), include_saved=True)


def test_the_sized_layout_is_the_one_the_engine_makes_from_the_labels(graph):
    names = dot_names(graph)
    labelled = [
        "digraph autograd {",
        "  graph [rankdir=TB nodesep=0.25 ranksep=0.35];",
        '  node [shape=box style="rounded,filled" fontname="Helvetica" fontsize=11 '
        'height=0.3 margin="0.08,0.04"];',
        "  edge [arrowsize=0.7];",
    ]
    for node_id, node in graph.nodes.items():
        text = "\\n".join(line.replace('"', '\\"') for line in layout_lines(node))
        labelled.append(f'  {names[node_id]} [label="{text}"];')
    labelled += [f"  {names[e.source]} -> {names[e.target]};" for e in graph.edges]
    labelled.append("}")
    expected = parse_plain_layout(run_dot("\n".join(labelled) + "\n", "plain").decode(), graph)
    sized = parse_plain_layout(
        run_dot(layout_dot(graph, "TB", ENGINE_METRICS), "plain").decode(), graph
    )
    assert (sized.width, sized.height) == pytest.approx((expected.width, expected.height))
    for node_id, box in expected.nodes.items():
        got = sized.nodes[node_id]
        assert (got.x, got.y, got.width, got.height) == pytest.approx(
            (box.x, box.y, box.width, box.height), abs=0.01
        ), node_id
    for want, got in zip(expected.edges, sized.edges, strict=True):
        assert (got.source, got.target) == (want.source, want.target)
        flat = [coordinate for point in got.points for coordinate in point]
        assert flat == pytest.approx([c for point in want.points for c in point], abs=0.01)


def test_a_windows_font_sizes_the_boxes_its_bold_names_included():
    regular = dict.fromkeys("abcdefghijklmnopqrstuvwxyz.()0123456789, ", 6.0)
    bold = dict.fromkeys(regular, 8.0)
    metrics = TextMetrics(regular, other=11.0, line_height=14.0, bold=bold)
    name, shape = "weights" * 3, "(2, 1)"
    width, height = box_size([name, shape], metrics, bold_first=True)
    assert width == pytest.approx((21 * 8.0) / 72 + 0.16)
    assert height == pytest.approx(2 * 14.0 / 72 + 0.08)
    assert box_size([name, shape], metrics)[0] == pytest.approx((21 * 6.0) / 72 + 0.16)
    assert metrics.text_width("标量") == 22.0  # unlisted: the fallback, once a character


def test_layouts_use_the_metrics_they_are_given(graph):
    wide = TextMetrics({}, other=20.0, line_height=30.0)
    before = layout_dot(graph)
    widened = layout_dot(graph, "TB", wide)
    assert widened != before
    assert layout_dot(graph) == before == layout_dot(graph, "TB", ENGINE_METRICS)


def test_the_playground_lays_out_with_its_options_metrics():
    playground = Playground()
    try:
        playground.execute(
            "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\n",
            start_next_engine=False,
        )
        engine_sized = playground.redraw(start_next_engine=False).layout
        wide = TextMetrics({}, other=20.0, line_height=30.0)
        options = dataclasses.replace(playground.options, label_metrics=wide)
        widened = playground.redraw(options, start_next_engine=False).layout
    finally:
        playground.close()
    widest = max(box.width for box in engine_sized.nodes.values())
    assert max(box.width for box in widened.nodes.values()) > widest
