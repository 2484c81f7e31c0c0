"""Heat maps of tensors, made on the engine thread: bounded grids, one scale, histogram."""

import math

import numpy as np
import pytest
import torch

from autograd_playground.core.graph.heat_map import FINITE, HAS_NAN, HAS_NEG_INF, HAS_POS_INF
from autograd_playground.core.graph.tensor_heatmap import MAX_CELLS, MAX_SLICES, heat_map_of
from autograd_playground.core.graph.tensor_summary import summarize


def cells_of(panel):
    return np.frombuffer(panel.cells, dtype=np.float64).reshape(panel.rows, panel.cols)


def test_a_small_matrix_gets_one_cell_per_element():
    tensor = torch.tensor([[1.0, -2.0, 0.0], [4.0, 5.0, -6.0]])
    heat = heat_map_of(tensor)
    assert heat.exact
    assert heat.slice_shape == (2, 3)
    assert len(heat.panels) == 1
    assert cells_of(heat.panels[0]).tolist() == tensor.tolist()
    assert heat.panels[0].index == ()
    assert heat.scale == 6.0  # symmetric: the largest magnitude, here a negative value


def test_a_vector_is_one_row():
    heat = heat_map_of(torch.arange(5.0) - 2)
    panel = heat.panels[0]
    assert (panel.rows, panel.cols) == (1, 5)
    assert panel.cell(0, 4) == 2.0
    assert heat.scale == 2.0


def test_block_means_are_exact_on_a_known_tensor_with_partial_blocks():
    # 130 x 70: blocks of 3 x 2 elements, the last row of blocks one element high.
    tensor = torch.arange(130 * 70, dtype=torch.float64).reshape(130, 70)
    heat = heat_map_of(tensor)
    assert (heat.row_block, heat.col_block) == (3, 2)
    panel = heat.panels[0]
    assert (panel.rows, panel.cols) == (44, 35)
    assert max(panel.rows, panel.cols) <= MAX_CELLS
    cells = cells_of(panel)
    assert cells[0, 0] == tensor[0:3, 0:2].mean().item()
    assert cells[10, 7] == tensor[30:33, 14:16].mean().item()
    assert cells[43, 34] == tensor[129:130, 68:70].mean().item()  # a partial block
    assert heat.scale == np.abs(cells).max()


def test_histogram_counts_every_element_and_gives_min_max_mean():
    tensor = torch.randn(200, 300, generator=torch.Generator().manual_seed(0))
    histogram = heat_map_of(tensor).histogram
    assert sum(histogram.counts) == tensor.numel()
    assert histogram.low == pytest.approx(tensor.min().item())
    assert histogram.high == pytest.approx(tensor.max().item())
    assert histogram.mean == pytest.approx(tensor.double().mean().item())


def test_nan_and_inf_are_marked_and_counted_but_not_in_the_scale():
    tensor = torch.tensor([[1.0, math.nan, -3.0], [math.inf, 0.5, -math.inf]])
    heat = heat_map_of(tensor)
    panel = heat.panels[0]
    assert [panel.mark(0, c) for c in range(3)] == [FINITE, HAS_NAN, FINITE]
    assert [panel.mark(1, c) for c in range(3)] == [HAS_POS_INF, FINITE, HAS_NEG_INF]
    assert heat.scale == 3.0
    assert sum(heat.histogram.counts) == tensor.numel() - 3
    summary = summarize(tensor, with_heat_map=True)
    assert (summary.nan_count, summary.inf_count) == (1, 2)


def test_a_block_holding_a_nan_is_marked_and_averages_its_finite_elements():
    tensor = torch.ones(200, 10)
    tensor[5, 3] = math.nan
    panel = heat_map_of(tensor).panels[0]  # blocks of 4 x 1
    assert panel.mark(1, 3) == HAS_NAN
    assert panel.cell(1, 3) == 1.0
    assert panel.mark(0, 3) == FINITE


def test_three_d_tensors_are_slices_with_their_index():
    tensor = torch.arange(3 * 4 * 5.0).reshape(3, 4, 5)
    heat = heat_map_of(tensor)
    assert heat.slice_count == 3
    assert heat.slice_shape == (4, 5)
    assert [panel.index for panel in heat.panels] == [(0,), (1,), (2,)]
    assert cells_of(heat.panels[2]).tolist() == tensor[2].tolist()
    assert heat.scale == tensor.max().item()  # one scale across the slices


def test_four_d_tensors_show_their_first_slices_labelled_by_two_indices():
    tensor = torch.randn(5, 4, 6, 6)
    heat = heat_map_of(tensor)
    assert heat.slice_count == 20
    assert len(heat.panels) == MAX_SLICES
    assert heat.panels[5].index == (1, 1)
    assert cells_of(heat.panels[5]).tolist() == tensor[1, 1].double().tolist()


def test_integer_and_bool_tensors_get_heat_maps():
    ints = heat_map_of(torch.tensor([[1, -7], [3, 0]]))
    assert cells_of(ints.panels[0]).tolist() == [[1.0, -7.0], [3.0, 0.0]]
    assert ints.scale == 7.0
    bools = heat_map_of(torch.tensor([True, False, True]))
    assert cells_of(bools.panels[0]).tolist() == [[1.0, 0.0, 1.0]]
    assert sum(bools.histogram.counts) == 3


@pytest.mark.parametrize(
    "tensor",
    [
        torch.tensor(3.0),
        torch.zeros(0, 3),
        torch.ones(2, 2, 2, 2, 2),
        torch.ones(3, dtype=torch.cfloat),
    ],
    ids=["scalar", "empty", "5-d", "complex"],
)
def test_no_heat_map_for_scalars_empty_complex_or_five_dimensions(tensor):
    assert heat_map_of(tensor) is None


def test_all_zeros_have_a_zero_scale():
    heat = heat_map_of(torch.zeros(1000, 100))
    assert heat.scale == 0.0
    assert sum(heat.histogram.counts) == 100_000


def test_summaries_carry_heat_maps_only_when_asked():
    tensor = torch.randn(3, 4)
    assert summarize(tensor).heat_map is None
    assert summarize(tensor, with_heat_map=True).heat_map.slice_shape == (3, 4)
    big = summarize(torch.randn(500, 500), with_heat_map=True)
    assert big.values is None
    assert big.heat_map.panels[0].rows == 63


@pytest.mark.parametrize(
    "tensor",
    [
        torch.tensor([[1.5, math.nan, -2.0], [math.inf, 0.25, -math.inf]]),
        torch.arange(24.0).reshape(2, 3, 4),
        torch.arange(48, dtype=torch.float16).reshape(2, 2, 3, 4) / 7,
        torch.tensor([[1, -7], [3, 0]]),
        torch.tensor([True, False, True]),
        torch.tensor(3.0),
        torch.zeros(0, 3),
        torch.ones(2, 2, 2, 2, 2),
        torch.ones(3, dtype=torch.cfloat),
    ],
    ids=["non-finite", "3-d", "4-d-half", "int", "bool", "scalar", "empty", "5-d", "complex"],
)
def test_a_small_summarys_heat_map_made_from_its_values_is_the_tensors(tensor):
    summary = summarize(tensor, with_heat_map=True)
    assert summary.heat_mapper is not None
    assert summary.heat_map == heat_map_of(tensor)
