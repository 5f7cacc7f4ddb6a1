"""Progress bars for management commands whose services report ``progress(stage, done, total)``."""

from __future__ import annotations

from tqdm import tqdm


class StageBars:
    """One tqdm bar per stage (model or files), fed by the service's progress callback."""

    def __init__(self, stream, *, disable: bool):
        self.stream, self.disable = stream, disable
        self.bar: tqdm | None = None
        self.stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, file=self.stream, disable=self.disable)
        if self.bar is not None:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
