"""A tiny random LTX-2 pipeline, built offline from config and saved in diffusers layout.

Sizes follow diffusers' own LTX-2 tests; the Gemma 3 text encoder comes from a tiny config and
the real `GemmaTokenizer` class from a vocabulary made here, so nothing touches a hub. The
saved folder is what a real checkpoint looks like to Milimo (model_index.json and one folder
per component), so the backend loads it through the same `from_pretrained` path.
"""

import string
from pathlib import Path
from typing import Any

# Every width that must agree: the text encoder's hidden size is the transformer's
# caption_channels, and the connectors (heads × head_dim) emit the same width.
TEXT_HIDDEN = 32
TEXT_LAYERS = 2


def tiny_tokenizer() -> Any:
    from transformers import GemmaTokenizer

    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"]
    vocab: dict[str, int] = {token: index for index, token in enumerate(specials)}
    for byte in range(256):
        vocab[f"<0x{byte:02X}>"] = len(vocab)
    for char in "▁" + string.ascii_letters + string.digits + string.punctuation:
        vocab.setdefault(char, len(vocab))
    return GemmaTokenizer(vocab=vocab, merges=[], add_bos_token=True)


def tiny_text_encoder(vocab_size: int) -> Any:
    from transformers import Gemma3Config, Gemma3ForConditionalGeneration

    config = Gemma3Config(
        text_config={
            "vocab_size": vocab_size,
            "hidden_size": TEXT_HIDDEN,
            "intermediate_size": 64,
            "num_hidden_layers": TEXT_LAYERS,
            "num_attention_heads": 2,
            "num_key_value_heads": 1,
            "head_dim": 8,
            "max_position_embeddings": 2048,
            "sliding_window": 64,
            "query_pre_attn_scalar": 8,
        },
        vision_config={
            "hidden_size": 16,
            "intermediate_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "image_size": 16,
            "patch_size": 4,
        },
        mm_tokens_per_image=4,
        boi_token_index=vocab_size - 3,
        eoi_token_index=vocab_size - 2,
        image_token_index=vocab_size - 1,
    )
    return Gemma3ForConditionalGeneration(config).eval()


def build_tiny_ltx2(target: Path) -> Path:
    """Build and save the tiny pipeline under `target`; returns `target`."""
    import torch
    from diffusers import (
        AutoencoderKLLTX2Audio,
        AutoencoderKLLTX2Video,
        FlowMatchEulerDiscreteScheduler,
        LTX2Pipeline,
        LTX2VideoTransformer3DModel,
    )
    from diffusers.pipelines.ltx2 import LTX2TextConnectors
    from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

    tokenizer = tiny_tokenizer()
    torch.manual_seed(0)
    text_encoder = tiny_text_encoder(len(tokenizer))

    torch.manual_seed(0)
    transformer = LTX2VideoTransformer3DModel(
        in_channels=4,
        out_channels=4,
        patch_size=1,
        patch_size_t=1,
        num_attention_heads=2,
        attention_head_dim=8,
        cross_attention_dim=16,
        audio_in_channels=4,
        audio_out_channels=4,
        audio_num_attention_heads=2,
        audio_attention_head_dim=4,
        audio_cross_attention_dim=8,
        num_layers=2,
        qk_norm="rms_norm_across_heads",
        caption_channels=TEXT_HIDDEN,
        rope_double_precision=False,
        rope_type="split",
    )
    torch.manual_seed(0)
    connectors = LTX2TextConnectors(
        caption_channels=TEXT_HIDDEN,
        text_proj_in_factor=TEXT_LAYERS + 1,
        video_connector_num_attention_heads=4,
        video_connector_attention_head_dim=8,
        video_connector_num_layers=1,
        video_connector_num_learnable_registers=None,
        audio_connector_num_attention_heads=4,
        audio_connector_attention_head_dim=8,
        audio_connector_num_layers=1,
        audio_connector_num_learnable_registers=None,
        connector_rope_base_seq_len=32,
        rope_theta=10000.0,
        rope_double_precision=False,
        causal_temporal_positioning=False,
        rope_type="split",
    )
    torch.manual_seed(0)
    # Real LTX-2 compression (32× in space, 8× in time) so that Milimo's smallest shot (256 px,
    # 9 frames) is 8×8×2 latent tokens: as cheap as diffusers' 32 px tests, at real sizes.
    vae = AutoencoderKLLTX2Video(
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        block_out_channels=(8, 8, 8),
        down_block_types=("LTX2VideoDownBlock3D",) * 3,
        decoder_block_out_channels=(8, 8, 8),
        layers_per_block=(1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, True),
        decoder_spatio_temporal_scaling=(True, True, True),
        decoder_inject_noise=(False,) * 4,
        downsample_type=("spatiotemporal",) * 3,
        upsample_type=("spatiotemporal",) * 3,
        upsample_residual=(False,) * 3,
        upsample_factor=(1, 1, 1),
        timestep_conditioning=False,
        patch_size=4,
        patch_size_t=1,
        encoder_causal=True,
        decoder_causal=False,
    )
    torch.manual_seed(0)
    audio_vae = AutoencoderKLLTX2Audio(
        base_channels=4,
        output_channels=2,
        ch_mult=(1,),
        num_res_blocks=1,
        attn_resolutions=None,
        in_channels=2,
        resolution=32,
        latent_channels=2,
        norm_type="pixel",
        causality_axis="height",
        dropout=0.0,
        mid_block_add_attention=False,
        sample_rate=16000,
        mel_hop_length=160,
        is_causal=True,
        mel_bins=8,
    )
    torch.manual_seed(0)
    vocoder = LTX2Vocoder(
        in_channels=2 * 8,
        hidden_channels=32,
        out_channels=2,
        # ×160 = the audio VAE's mel hop, so the sound lasts as long as the video (16 kHz).
        upsample_kernel_sizes=[10, 8, 8, 4],
        upsample_factors=[5, 4, 4, 2],
        resnet_kernel_sizes=[3],
        resnet_dilations=[[1, 3, 5]],
        leaky_relu_negative_slope=0.1,
        output_sampling_rate=16000,
    )
    pipe = LTX2Pipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        audio_vae=audio_vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        connectors=connectors,
        transformer=transformer,
        vocoder=vocoder,
    )
    pipe.save_pretrained(str(target))
    return target


def build_tiny_ic_lora(model_dir: Path, target: Path) -> Path:
    """A tiny random LoRA for the tiny transformer, saved as diffusers saves an LTX-2 LoRA."""
    import torch
    from diffusers import LTX2Pipeline, LTX2VideoTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    transformer = LTX2VideoTransformer3DModel.from_pretrained(str(model_dir / "transformer"))
    torch.manual_seed(1)
    transformer.add_adapter(
        LoraConfig(
            r=2,
            lora_alpha=2,
            target_modules=["to_q", "to_k", "to_v", "to_out.0"],
            init_lora_weights=False,
        )
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    LTX2Pipeline.save_lora_weights(
        str(target.parent),
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name=target.name,
    )
    return target


def copy_of_model(source: Path, target: Path, without: tuple[str, ...] = ()) -> Path:
    """A model folder like `source` (its files linked, not copied), less the named entries."""
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name not in without:
            (target / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return target


def build_tiny_latent_upsampler(model_dir: Path) -> Path:
    """A tiny random ×2 spatial latent upsampler in <model_dir>/latent_upsampler (diffusers layout),
    for the tiny VAE's 4 latent channels (GroupNorm needs the middle width a multiple of 32)."""
    import torch
    from diffusers.pipelines.ltx2.latent_upsampler import LTX2LatentUpsamplerModel

    torch.manual_seed(0)
    upsampler = LTX2LatentUpsamplerModel(
        in_channels=4,
        mid_channels=32,
        num_blocks_per_stage=1,
        dims=3,
        spatial_upsample=True,
        temporal_upsample=False,
        rational_spatial_scale=2.0,
    )
    target = model_dir / "latent_upsampler"
    upsampler.save_pretrained(str(target))
    return target
