"""A causal LM from MILIMO_MODELS_DIR (storyboard/, else the enhancer's) as the director and
critic of `script import --mode ai`.

It shares the enhancer's loader, so one folder serving both loads once per process. Decoding is
greedy, so the same text gives the same storyboard; the reply is primed with the JSON's first
characters, so the model starts the storyboard instead of talking about it, and generation stops
as soon as the caller's `done` says the answer is over (its JSON closed, or broken).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.enhance.llm import load


def _prompt_ids(tokenizer: Any, system: str, user: str, prefix: str) -> Any:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    if getattr(tokenizer, "chat_template", None):
        text = tokenizer.apply_chat_template(
            messages,
            add_generation_prompt=True,
            tokenize=False,
            enable_thinking=False,  # Qwen 3's templates read it; others ignore it
        )
        return tokenizer(str(text) + prefix, return_tensors="pt", add_special_tokens=False)
    return tokenizer(f"{system}\n\n{user}\n\nAnswer:\n{prefix}", return_tensors="pt")


def _stopping(tokenizer: Any, start: int, prefix: str, done: Callable[[str], bool]) -> Any:
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class Done(StoppingCriteria):  # type: ignore[misc]
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            text = prefix + tokenizer.decode(input_ids[0, start:], skip_special_tokens=True)
            return torch.full((input_ids.shape[0],), done(text), dtype=torch.bool)

    return StoppingCriteriaList([Done()])


class LocalLMWriter:
    """The application's LanguageModel port on a transformers causal LM folder."""

    def __init__(self, model_dir: Path, token_cap: int | None = None):
        self.model_dir = model_dir
        self.name = model_dir.name
        # The most tokens any one answer may have, below what each call asks for (tests).
        self.token_cap = token_cap

    def reply(
        self,
        system: str,
        user: str,
        prefix: str = "",
        max_new_tokens: int = 512,
        done: Callable[[str], bool] | None = None,
    ) -> str:
        import torch

        model, tokenizer, device = load(str(self.model_dir))
        encoded = _prompt_ids(tokenizer, system, user, prefix)
        inputs = {
            k: v.to(device) for k, v in encoded.items() if k in ("input_ids", "attention_mask")
        }
        start = inputs["input_ids"].shape[1]
        stop = _stopping(tokenizer, start, prefix, done) if done is not None else None
        pad = (
            tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        )
        with torch.inference_mode():
            output = model.generate(
                **inputs,
                max_new_tokens=min(max_new_tokens, self.token_cap or max_new_tokens),
                do_sample=False,
                pad_token_id=pad,
                stopping_criteria=stop,
            )
        return prefix + str(tokenizer.decode(output[0, start:], skip_special_tokens=True))
