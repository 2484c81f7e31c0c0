"""The compute devices this machine offers: cpu, cuda:N and mps."""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.catalog import translate


@dataclass(frozen=True)
class DeviceInfo:
    """A device id as torch spells it, and a label for people."""

    id: str
    label: str


def available_devices() -> list[DeviceInfo]:
    """Return cpu followed by every usable accelerator."""
    import torch

    devices = [DeviceInfo("cpu", "cpu")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            name = torch.cuda.get_device_name(index)
            devices.append(DeviceInfo(f"cuda:{index}", f"cuda:{index} — {name}"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append(DeviceInfo("mps", "mps — Apple GPU"))
    accelerator = getattr(torch, "accelerator", None)
    if accelerator is not None and accelerator.is_available():
        kind = accelerator.current_accelerator().type
        if kind not in ("cuda", "mps"):  # others torch knows, such as xpu
            for index in range(accelerator.device_count()):
                devices.append(DeviceInfo(f"{kind}:{index}", f"{kind}:{index}"))
    return devices


def check_device(device_id: str, language: str = "en") -> str | None:
    """Return None if ``device_id`` can be used here, else why not, in ``language`` ("en"/"zh")."""
    import torch

    try:
        device = torch.device(device_id)
    except RuntimeError as exc:
        return translate(
            "{device_id!r} is not a device name torch knows: {exc}",
            language,
            device_id=device_id,
            exc=exc,
        )
    if device.type == "cpu":
        return None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            return translate(
                "CUDA is not available on this machine (no NVIDIA GPU or a CPU-only torch).",
                language,
            )
        index = device.index or 0
        if index >= torch.cuda.device_count():
            count = torch.cuda.device_count()
            return translate(
                "There is no {device_id}: this machine has {count} CUDA device(s).",
                language,
                device_id=device_id,
                count=count,
            )
        return None
    if device.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return None
        return translate("MPS is not available here.", language)
    return translate(
        "The device type {type!r} is not supported by the playground.", language, type=device.type
    )


def is_out_of_memory(exc: BaseException) -> bool:
    """Return True if ``exc`` is an allocator running out of device (or host) memory."""
    import torch

    return isinstance(exc, torch.OutOfMemoryError)


def release_cached_memory(device_id: str) -> None:
    """Give the caching allocator's free blocks back, so the next try starts clean."""
    import torch

    if device_id.startswith("cuda") and torch.cuda.is_available():
        torch.cuda.empty_cache()
    elif device_id == "mps" and getattr(torch, "mps", None) is not None:
        torch.mps.empty_cache()


def out_of_memory_advice(exc: BaseException, device_id: str, language: str = "en") -> str:
    """Return a message for a step that ran out of memory on ``device_id``: what to do next.

    ``language`` is "en" or "zh"; torch's own text is quoted as it is.
    """
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return translate(
        "Out of memory on {device_id}: {first_line}\nTraining is "
        "paused and the model is kept. Lower the batch size or the "
        "model's size, or choose another device, then press Resume.",
        language,
        device_id=device_id,
        first_line=first_line,
    )


def synchronizer(device_id: str):
    """Return what waits for ``device_id``'s queued work to finish, or None where work
    is done when the call that asks for it returns (the CPU, NumPy)."""
    import torch

    device = torch.device(device_id)
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    if device.type == "mps":
        return torch.mps.synchronize
    return None


def warm_up_device(device_id: str) -> None:
    """Pay a CUDA device's one-time costs now: its context, and the first forward,
    backward and matrix product, which load their kernels. Nothing for other devices,
    whose first step costs no more than the rest."""
    import torch

    device = torch.device(device_id)
    if device.type != "cuda":
        return
    exercise_device(device)
    torch.cuda.synchronize(device)


def exercise_device(device) -> None:
    """A small forward and backward on ``device``: what a training step runs first."""
    import torch

    weights = torch.ones(8, 8, device=device, requires_grad=True)
    loss = (weights @ weights).clamp(min=0).pow(2).sum()
    loss.backward()
