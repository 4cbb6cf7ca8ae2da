"""ClipModule: an open_clip model and its ClipLoss inside a LightningModule."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import lightning
import torch
from torch import Tensor

from .._hub import expand, hub_or_cache, looks_local
from ..errors import CheckpointError
from ..models import register_model_configs
from ._retrieval import retrieval_recalls


def create_clip(model_name: str, pretrained: str | None) -> torch.nn.Module:
    """Create an open_clip model, mapping a checkpoint that does not fit to CheckpointError.

    Args:
        model_name: an open_clip architecture (``ViT-B-32``, ``gaia-tiny-vit``, ...).
        pretrained: an open_clip tag (``openai``, ``laion2b_s34b_b79k``), a local state-dict path,
            or ``None`` for random initialisation.

    Raises:
        CheckpointError: if ``pretrained`` is a file that does not fit ``model_name``, a
            local-looking path that is not a file, or a tag that is neither cached nor
            downloadable (checked with one short probe of the hub, not five retries).
    """
    import open_clip

    register_model_configs()
    local = pretrained is not None and looks_local(pretrained)
    if local and pretrained is not None:
        if not Path(expand(pretrained)).is_file():
            raise CheckpointError(
                f"weights file {pretrained!r} not found: pass an existing state-dict file (e.g. "
                "a run's model.pt), an open_clip tag such as openai, or none"
            )
        pretrained = expand(pretrained)
    hub = contextlib.nullcontext() if local or not pretrained else hub_or_cache()
    try:
        with hub as offline:
            model, _, _ = open_clip.create_model_and_transforms(
                model_name, pretrained=pretrained, output_dict=True
            )
    except RuntimeError as err:
        if pretrained and Path(pretrained).exists():
            raise CheckpointError(
                f"checkpoint {pretrained!r} does not fit architecture {model_name!r} "
                f"({str(err).splitlines()[0]} ...); pass the --model it was trained with "
                "(see config.json beside it)"
            ) from err
        if pretrained and pretrained not in open_clip.list_pretrained_tags_by_model(model_name):
            tags = ", ".join(open_clip.list_pretrained_tags_by_model(model_name)) or "none"
            raise CheckpointError(
                f"open_clip has no pretrained weights {pretrained!r} for {model_name!r} (its "
                f"tags: {tags}); pass one of them, a weights file, or --pretrained none for "
                "random initialisation"
            ) from err
        if pretrained and offline is not None:
            raise CheckpointError(
                f"pretrained weights {pretrained!r} for {model_name!r} are not in the local "
                f"Hugging Face cache, and the hub is not used ({offline}): run once with a "
                "network to fill the cache, or pass a weights file, or --pretrained none"
            ) from None
        if pretrained:
            raise CheckpointError(
                f"cannot load pretrained weights {pretrained!r} for {model_name!r}: "
                f"{str(err).splitlines()[0].rstrip('.')}. Tags are downloaded from the Hugging "
                "Face hub: run once with a network (HF_HUB_OFFLINE unset) to fill the cache, or "
                "pass a weights file"
            ) from err
        raise
    return model


class ClipModule(lightning.LightningModule):
    """Contrastive fine-tuning of an open_clip model, as open_clip's own trainer does it.

    AdamW (betas 0.9/0.98, eps 1e-6, no weight decay on gains, biases and the logit scale),
    linear warm-up then cosine decay per step, logit scale clamped to 100 after each step,
    ClipLoss gathering features across DDP ranks. Logs ``train/loss``, ``train/r1`` (in-batch
    image-to-text R@1) and, on validation, ``val/i2t_r1`` ... ``val/mean_recall``.

    Args:
        model_name: the open_clip architecture.
        pretrained: tag, state-dict path, or ``None`` (see :func:`create_clip`).
        lr: peak learning rate.
        weight_decay: AdamW weight decay.
        warmup_steps: linear warm-up steps.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        model_name: str = "ViT-B-32",
        pretrained: str | None = None,
        lr: float = 5e-5,
        weight_decay: float = 0.1,
        warmup_steps: int = 0,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        import open_clip

        self.model = create_clip(model_name, pretrained)
        self.loss = open_clip.ClipLoss()
        self._val_features: list[tuple[Tensor, Tensor]] = []

    def setup(self, stage: str) -> None:
        """Make the loss gather features across ranks when training on several devices."""
        import open_clip

        world_size = self.trainer.world_size if self._trainer is not None else 1
        if world_size > 1:
            self.loss = open_clip.ClipLoss(
                gather_with_grad=True,
                cache_labels=True,
                rank=self.global_rank,
                world_size=world_size,
            )

    def forward(self, images: Tensor, texts: Tensor) -> dict[str, Tensor]:
        """Return open_clip's dict: ``image_features``, ``text_features``, ``logit_scale``."""
        out: dict[str, Tensor] = self.model(images, texts)
        return out

    def training_step(self, batch: dict[str, Any], batch_idx: int) -> Tensor:
        """One contrastive step; logs the loss and the in-batch R@1."""
        out = self(batch["image"], batch["text"])
        loss: Tensor = self.loss(out["image_features"], out["text_features"], out["logit_scale"])
        size = len(batch["image"])
        with torch.no_grad():
            logits = out["image_features"] @ out["text_features"].T
            r1 = (logits.argmax(dim=1) == torch.arange(size, device=logits.device)).float().mean()
        self.log("train/loss", loss, prog_bar=True, on_step=True, on_epoch=True, batch_size=size)
        self.log("train/r1", r1, on_step=True, on_epoch=True, batch_size=size)
        self.log("logit_scale", out["logit_scale"].detach(), on_step=True, batch_size=size)
        return loss

    def on_train_batch_end(self, outputs: Any, batch: Any, batch_idx: int) -> None:
        """Clamp the logit scale to [0, ln 100] as open_clip does."""
        with torch.no_grad():
            scale: Tensor = self.model.logit_scale  # type: ignore[assignment]
            scale.clamp_(0, math.log(100))

    def on_train_epoch_start(self) -> None:
        """Draw a fresh caption per item for this epoch."""
        datamodule = getattr(self.trainer, "datamodule", None)
        dataset = getattr(datamodule, "train_dataset", None)
        if dataset is not None:
            dataset.set_epoch(self.current_epoch)

    def validation_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        """Collect features for retrieval metrics at the end of the epoch."""
        out = self(batch["image"], batch["text"])
        self._val_features.append((out["image_features"], out["text_features"]))

    def on_validation_epoch_end(self) -> None:
        """Log image-text retrieval recall@1/5/10 over the whole validation split."""
        if not self._val_features:
            return
        images = torch.cat([f[0] for f in self._val_features])
        texts = torch.cat([f[1] for f in self._val_features])
        self._val_features.clear()
        if self.trainer.world_size > 1:
            images = torch.as_tensor(self.all_gather(images)).flatten(0, 1)
            texts = torch.as_tensor(self.all_gather(texts)).flatten(0, 1)
        metrics = retrieval_recalls(images, texts)
        self.log_dict({f"val/{k}": v for k, v in metrics.items()}, sync_dist=False)

    def configure_optimizers(self) -> Any:
        """AdamW with open_clip's parameter groups and a warm-up + cosine schedule per step."""
        decay: list[torch.nn.Parameter] = []
        no_decay: list[torch.nn.Parameter] = []
        for name, param in self.model.named_parameters():
            if not param.requires_grad:
                continue
            exclude = param.ndim < 2 or any(k in name for k in ("bn", "ln", "bias", "logit_scale"))
            (no_decay if exclude else decay).append(param)
        optimizer = torch.optim.AdamW(
            [
                {"params": no_decay, "weight_decay": 0.0},
                {"params": decay, "weight_decay": self.hparams["weight_decay"]},
            ],
            lr=self.hparams["lr"],
            betas=(0.9, 0.98),
            eps=1e-6,
        )
        total = max(1, int(self.trainer.estimated_stepping_batches))
        warmup = int(self.hparams["warmup_steps"])

        def schedule(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            progress = (step - warmup) / max(1, total - warmup)
            return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }
