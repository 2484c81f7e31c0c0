"""Why .grad is None and the fix links, in Simplified Chinese: same cases, same fixes."""

import pytest

from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.core.playground import Playground
from autograd_playground.core.teach.code_fixes import CodeFix, FixError, apply_fix
from autograd_playground.core.teach.grad_none import explain_grad_none


@pytest.fixture(scope="module")
def playground():
    pg = Playground()
    pg.warm_up()
    yield pg
    pg.close()


def explain(pg, code, name, language="zh"):
    """Run ``code`` in a fresh namespace and explain ``name``'s None grad in ``language``."""
    pg.reset()
    outcome = pg.execute(code)
    assert outcome.result.error is None, outcome.result.error.text
    node = outcome.graph.find(name)
    if node is None:
        node = probe_tensor(pg.evaluator.user_names(), name, pg.evaluator.line_table)
    return explain_grad_none(node, outcome.graph, code, language)


NON_LEAF = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = (h ** 2).sum()
y.backward()
"""
DETACHED = """\
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(1.0, requires_grad=True)
h = (x * 3).detach()
y = h * w
y.backward()
"""


def test_non_leaf_in_chinese_keeps_the_same_case_and_fix(playground):
    chinese = explain(playground, NON_LEAF, "h")
    english = explain(playground, NON_LEAF, "h", "en")
    assert (chinese.case, chinese.fix) == (english.case, english.fix)
    assert chinese.text.startswith("`h` 不是叶子节点：")
    assert "（grad_fn MulBackward0）" in chinese.text
    assert "`.retain_grad()`" in chinese.text
    assert chinese.fix.describe("zh") == "在第 2 行后添加 `h.retain_grad()` 并重新运行"
    assert english.text.startswith("`h` is not a leaf")


def test_detached_and_not_contributing_in_chinese(playground):
    detached = explain(playground, DETACHED, "h")
    assert detached.case == "detached"
    assert "由第 3 行的 `.detach()` 得到" in detached.text
    assert "requires_grad 为 False" in detached.text
    assert detached.fix.describe("zh") == "删除第 3 行的 `.detach()` 并重新运行"
    cut = explain(playground, DETACHED, "x")
    assert cut.case == "not_contributing"
    assert "backward() 从 `y` 开始运行，但 `x` 对 `y` 没有贡献" in cut.text
    assert "第 3 行在 `.detach()` 中使用了它" in cut.text


def test_no_backward_yet_and_grad_mode_in_chinese(playground):
    waiting = explain(playground, "x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n", "x")
    assert waiting.case == "no_backward_yet"
    assert waiting.text == (
        "backward() 还没有经过 `x`，而 .grad 只由 backward() 填入。"
        "请调用 `y.backward()`：`y` 由 `x` 计算而来。"
    )
    code = "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    h = x * 2\n"
    frozen = explain(playground, code, "h")
    assert frozen.case == "no_grad"
    assert "在第 3 行、`with torch.no_grad():`（第 2 行）之内计算" in frozen.text


def test_integer_tensor_in_chinese(playground):
    reason = explain(playground, "n = torch.arange(3)\n", "n")
    assert reason.case == "not_floating"
    assert "`n` 的类型是 int64，不是浮点类型，而只有浮点张量才能有梯度" in reason.text


def test_english_stays_the_default():
    fix = CodeFix("backward", "y", 4)
    assert fix.label == fix.describe() == "Add `y.backward()` after line 4 and run again"
    assert fix.describe("zh") == "在第 4 行后添加 `y.backward()` 并重新运行"


@pytest.mark.parametrize(
    ("code", "fix", "message"),
    [
        ("h = x * 3\n", CodeFix("retain_grad", "g", 1), "第 1 行不再给 g 赋值：请重新运行代码。"),
        ("h = (x * \n", CodeFix("retain_grad", "h", 1), "代码现在有语法错误"),
        ("h = x * 3\n", CodeFix("remove_detach", "h", 1), "第 1 行已没有 `.detach()`"),
    ],
)
def test_refused_fix_says_why_in_chinese(code, fix, message):
    with pytest.raises(FixError) as raised:
        apply_fix(code, fix, "zh")
    assert message in str(raised.value)
