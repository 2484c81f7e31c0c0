"""Why a device is refused, in English by default and in Chinese on request."""

from autograd_playground.core.run.devices import check_device


def test_cpu_is_always_usable():
    assert check_device("cpu") is None
    assert check_device("cpu", "zh") is None


def test_an_unsupported_device_type_is_refused_in_both_languages():
    assert check_device("xla") == "The device type 'xla' is not supported by the playground."
    assert check_device("xla", "zh") == "本应用不支持设备类型 'xla'。"


def test_a_name_torch_does_not_know_quotes_torchs_reason():
    english, chinese = check_device("tpu"), check_device("tpu", "zh")
    assert english.startswith("'tpu' is not a device name torch knows: Expected one of cpu")
    assert chinese.startswith("'tpu' 不是 torch 认识的设备名：Expected one of cpu")
