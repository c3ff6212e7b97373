"""Prompt enhancement by a local causal LM from MILIMO_MODELS_DIR/enhancer.

Loaded once per process, on the first prompt it rewrites; decoding is greedy with a token cap,
so the same prompt gives the same text. A reply that is empty or garbage gives way to the rules,
and the request records that it did.
"""

import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from application.engine.enhance_rules import RuleBasedEnhancer
from application.engine.ports import EnhancedPrompt, PromptEnhancer
from models.enhance.cleaning import clean, unusable

MAX_NEW_TOKENS = 200
MAX_PROMPT_CHARS = 2000
SYSTEM = (
    "You rewrite the description of one film shot as a prompt for a text-to-video model. "
    "Write a single flowing paragraph in the present tense: the action first, then the setting "
    "and its light, then the framing and the camera's movement. Keep every person, object and "
    "line of dialogue the shot names, and add nothing that contradicts it. Reply with the "
    "paragraph only."
)
CONTEXT_LABELS = (
    ("shot_type", "Shot type"),
    ("heading", "Scene heading"),
    ("character", "Character"),
    ("style", "Style"),
)


def user_message(prompt: str, context: dict[str, Any]) -> str:
    lines = [f"Shot: {prompt[:MAX_PROMPT_CHARS]}"]
    for key, label in CONTEXT_LABELS:
        value = str(context.get(key) or "").replace("_", " ").strip()
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


@lru_cache(maxsize=2)
def load(model_dir: str) -> tuple[Any, Any, str]:
    """(model, tokenizer, device), once per process and folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model: Any = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype)
    model.to(device).eval()
    return model, tokenizer, device


def reply(model_dir: str, prompt: str, context: dict[str, Any], max_new_tokens: int) -> str:
    """The model's raw answer to the rewrite request."""
    import torch

    model, tokenizer, device = load(model_dir)
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": user_message(prompt, context)},
    ]
    if getattr(tokenizer, "chat_template", None):
        inputs = tokenizer.apply_chat_template(
            messages,
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
            enable_thinking=False,  # Qwen 3's templates read it; others ignore it
        )
    else:
        plain = f"{SYSTEM}\n\n{messages[1]['content']}\n\nPrompt:"
        inputs = tokenizer(plain, return_tensors="pt")
    inputs = {k: v.to(device) for k, v in inputs.items() if k in ("input_ids", "attention_mask")}
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    torch.manual_seed(0)
    with torch.inference_mode():
        output = model.generate(
            **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=pad
        )
    new_tokens = output[0, inputs["input_ids"].shape[1] :]
    return str(tokenizer.decode(new_tokens, skip_special_tokens=True))


class LocalLMEnhancer:
    name = "llm"

    def __init__(
        self,
        model_dir: Path,
        fallback: PromptEnhancer | None = None,
        max_new_tokens: int = MAX_NEW_TOKENS,
    ):
        self.model_dir = model_dir
        self.fallback = fallback or RuleBasedEnhancer()
        self.max_new_tokens = max_new_tokens

    def enhance(self, prompt: str, context: dict[str, Any]) -> EnhancedPrompt:
        started = time.perf_counter()
        text = clean(reply(str(self.model_dir), prompt, context, self.max_new_tokens))
        problem = unusable(text, context)
        seconds = round(time.perf_counter() - started, 4)
        if problem is None:
            return EnhancedPrompt(text, self.name, str(self.model_dir), seconds)
        ruled = self.fallback.enhance(prompt, context)
        return replace(
            ruled,
            seconds=round(seconds + ruled.seconds, 4),
            fallback=(
                f"the reply of {self.model_dir.name} was unusable ({problem}); "
                "the rules' prompt was used"
            ),
        )
