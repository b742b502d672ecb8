#!/usr/bin/env python3
"""whosaid's int8 export: the same article gives the same numbers in any batch.

Weights are int8 per output channel, as before. Activations are where dynamic quantization went
wrong: ONNX Runtime's `DynamicQuantizeLinear` picks one scale per tensor at run time, over the
whole padded batch, so a window's logits moved with whatever shared its batch (the same article
gave different entities and claims alone and inside a corpus). This script replaces every
`DynamicQuantizeLinear` of a dynamic int8 graph:

- per row (the default): each token's hidden vector gets its own scale (largest magnitude /
  127, zero point 128, u8 for the VNNI kernels), applied to the matmul's product afterwards;
- fixed (with --calibration): the LayerNorm outputs inside the encoder (what the query, key,
  value and feed-forward matmuls read) take a scale and zero point calibrated once on sample
  windows, which keeps ONNX Runtime's fully fused int8 matmul (bias included) for them.

Either way the integer product of a row depends on that row alone, and everything else in the
graph (LayerNorm, softmax, GELU, the attention products) is row-local fp32: a window's logits are
bit-identical alone, in any batch, at any padding and thread count (scripts/tests check it; the
Rust suite checks the records). Measured against fp32 activations and the old dynamic graph in
the model card.

This is the export path of every shipped model (train_joint.py and make_tiny_model.py call it):

    cargo build --release --example dump_windows
    target/release/examples/dump_windows MODEL_DIR TEXTS.jsonl > windows.jsonl   # calibration
    # from an fp32 export: dynamic int8 weights per channel, then these activations
    python scripts/quantize_rowwise.py --fp32 model.fp32.onnx --out model.int8.onnx \
        --calibration windows.jsonl
    # or a model folder in one step (dump_windows on TEXTS.jsonl, then the above)
    python scripts/quantize_rowwise.py --model-dir DIR --fp32-name model.fp32.onnx --texts TEXTS.jsonl
    # or on a graph already quantized dynamically (same weights, new activations), in place
    python scripts/quantize_rowwise.py --int8 models/minilm-conll03/model.int8.onnx \
        --calibration windows.jsonl

Needs onnx, onnxruntime and numpy.
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Metadata the graph carries once rewritten: how its activations are quantized.
METADATA_KEY = "whosaid.activation_quantization"
# Zero point of every quantized activation: symmetric range [-127, 127] shifted into uint8,
# the operand type ONNX Runtime's VNNI kernels take (u8 activations times s8 weights).
ZERO_POINT = 128
# Largest code on either side of the zero point.
QMAX = 127.0
# Floor of a row's largest magnitude, so an all-zero row does not divide by zero.
EPS = 1e-12


def _const(name, value, dtype):
    arr = np.array(value, dtype=dtype)
    return numpy_helper.from_array(arr, name)


def _reduce(op, x, out, opset):
    """`op` over the last axis, dimension kept (axes an attribute before opset 18)."""
    if opset >= 18:
        return helper.make_node(op, [x, "whosaid_rq_axes"], [out], name=out, keepdims=1)
    return helper.make_node(op, [x], [out], name=out, axes=[-1], keepdims=1)


def fixed_inputs(model: onnx.ModelProto) -> list:
    """Names of the quantized activations that take a fixed, calibrated scale: the LayerNorm
    outputs inside the encoder. A LayerNorm output's range is stable from row to row, and the
    matmuls that read it (query, key, value; the feed-forward input) then keep ONNX Runtime's
    fully fused int8 kernel, bias included. The last LayerNorm's output, the final hidden state
    the classification heads read, stays per row: the heads are a few columns wide, so the row
    scale costs nothing there."""
    producer = {o: n for n in model.graph.node for o in n.output}
    norms = [n for n in model.graph.node if n.op_type == "LayerNormalization"]
    last = norms[-1].output[0] if norms else None
    return [n.input[0] for n in model.graph.node if n.op_type == "DynamicQuantizeLinear"
            and n.input[0] in producer and producer[n.input[0]].op_type == "LayerNormalization"
            and n.input[0] != last]


def rowwise(model: onnx.ModelProto, static: dict = None) -> onnx.ModelProto:
    """Replaces every DynamicQuantizeLinear of `model` with a per-row quantizer, in place.

    `static` maps activation names to a fixed scale (calibrated): those are quantized with it
    instead (one QuantizeLinear, and the matmul keeps ONNX Runtime's fully fused kernel)."""
    static = static or {}
    g = model.graph
    targets = [n for n in g.node if n.op_type == "DynamicQuantizeLinear"]
    if not targets:
        raise SystemExit("no DynamicQuantizeLinear in the graph: is it a dynamic int8 export "
                         "(or already rewritten)?")
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    if opset < 13:
        raise SystemExit(f"opset {opset}: per-row quantization needs opset 13 or later")
    inits = {
        "whosaid_rq_qmax": _const("whosaid_rq_qmax", QMAX, np.float32),
        "whosaid_rq_eps": _const("whosaid_rq_eps", EPS, np.float32),
        "whosaid_rq_zp": _const("whosaid_rq_zp", ZERO_POINT, np.uint8),
        "whosaid_rq_minus_one": _const("whosaid_rq_minus_one", -1, np.int64),
        "whosaid_rq_minus_one_1d": _const("whosaid_rq_minus_one_1d", [-1], np.int64),
    }
    if opset >= 18:  # ReduceMax takes its axes as an input from opset 18 on
        inits["whosaid_rq_axes"] = _const("whosaid_rq_axes", [-1], np.int64)
    existing = {i.name for i in g.initializer}
    for name, t in inits.items():
        if name not in existing:
            g.initializer.append(t)
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    # The row scale must not reach a MatMulInteger's scale Mul: ONNX Runtime fuses
    # MatMulInteger -> Cast -> Mul into MatMulIntegerToFloat, which reads its activation scale
    # as one number (measured: a per-row scale there gives wrong outputs). So the quantizer
    # hands the matmul a scale of 1 and the row scale multiplies the product afterwards.
    # each quantized activation's width, from the weights of the matmuls that read it
    init_shape = {i.name: list(i.dims) for i in g.initializer}
    width = {}
    for n in g.node:
        if n.op_type == "MatMulInteger" and n.input[1] in init_shape:
            width[n.input[0]] = init_shape[n.input[1]][0]
    rescale = {}  # name of a dequantized product -> row scale it needs
    for n in targets:
        if n.input[0] in static:
            continue
        scale_out = n.output[1]
        for c in consumers.get(scale_out, []):
            if c.op_type != "Mul":
                raise SystemExit(f"{c.name}: activation scale feeds {c.op_type}, expected Mul")
            for d in consumers.get(c.output[0], []):
                if d.op_type != "Mul":
                    raise SystemExit(f"{d.name}: combined scale feeds {d.op_type}, expected Mul")
                rescale[d.output[0]] = f"{n.name or n.output[0]}/rowwise/scale"
    # A scalar 1.0 computed at run time (from the size of the first graph input), not a
    # constant: the MatMulIntegerToFloat fusion needs the `activation scale * weight scale`
    # Mul to stay a node, and constant folding would remove it.
    first = g.input[0].name
    new_nodes = [
        helper.make_node("Size", [first], ["whosaid_rq_size"], name="whosaid_rq/Size"),
        helper.make_node("Greater", ["whosaid_rq_size", "whosaid_rq_minus_one"], ["whosaid_rq_true"],
                         name="whosaid_rq/Greater"),
        helper.make_node("Cast", ["whosaid_rq_true"], ["whosaid_rq_unit"], name="whosaid_rq/Unit",
                         to=TensorProto.FLOAT),
    ]
    alias = {}
    for n in g.node:
        if n.op_type == "Mul" and n.output[0] in rescale:
            y = n.output[0]
            n.output[0] = y + "/unscaled"
            new_nodes.append(n)
            new_nodes.append(helper.make_node("Mul", [y + "/unscaled", rescale[y]], [y],
                                              name=y + "/rowwise/Mul"))
            continue
        if n.op_type != "DynamicQuantizeLinear":
            new_nodes.append(n)
            continue
        x = n.input[0]
        q_out, scale_out, zp_out = n.output
        p = n.name or q_out
        t = lambda s: f"{p}/rowwise/{s}"  # noqa: E731
        if x in static:
            scale, zero = static[x]
            g.initializer.append(_const(t("static_scale"), scale, np.float32))
            g.initializer.append(_const(t("static_zp"), zero, np.uint8))
            new_nodes += [
                helper.make_node("QuantizeLinear", [x, t("static_scale"), t("static_zp")], [q_out],
                                 name=t("QuantizeLinear")),
                # a run-time scalar again, so the scale Mul stays a node for the fusion
                helper.make_node("Mul", ["whosaid_rq_unit", t("static_scale")], [scale_out],
                                 name=t("StaticScale")),
            ]
            alias[zp_out] = t("static_zp")
            continue
        k = width.get(n.output[0])
        if k is None:
            raise SystemExit(f"{n.name}: cannot tell the width of {x} from its matmuls' weights")
        g.initializer.append(_const(t("flat_shape"), [-1, k], np.int64))
        new_nodes += [
            _reduce("ReduceMax", x, t("hi"), opset),
            _reduce("ReduceMin", x, t("lo"), opset),
            helper.make_node("Neg", [t("lo")], [t("neg_lo")], name=t("Neg")),
            helper.make_node("Max", [t("hi"), t("neg_lo"), "whosaid_rq_eps"], [t("range")],
                             name=t("Range")),
            # the row's scale, [.., 1], applied to the matmul's product below
            helper.make_node("Div", [t("range"), "whosaid_rq_qmax"], [t("scale")], name=t("Scale")),
            # rows flattened to [rows, width]: QuantizeLinear per axis 0 is per row, one pass
            helper.make_node("Reshape", [x, t("flat_shape")], [t("flat")], name=t("Flatten")),
            helper.make_node("Reshape", [t("scale"), "whosaid_rq_minus_one_1d"], [t("scale_1d")],
                             name=t("ScaleFlat")),
            helper.make_node("Shape", [t("scale_1d")], [t("rows")], name=t("Rows")),
            helper.make_node("Expand", ["whosaid_rq_zp", t("rows")], [t("zp_1d")], name=t("ZeroPoints")),
            helper.make_node("QuantizeLinear", [t("flat"), t("scale_1d"), t("zp_1d")], [t("q_flat")],
                             name=t("QuantizeLinear"), axis=0),
            helper.make_node("Shape", [x], [t("shape")], name=t("Shape")),
            helper.make_node("Reshape", [t("q_flat"), t("shape")], [q_out], name=t("Unflatten")),
        ]
        # the matmuls read the unit scale and the zero point as constants, so ONNX Runtime's
        # MatMulInteger -> MatMulIntegerToFloat fusion still applies
        alias[scale_out] = "whosaid_rq_unit"
        alias[zp_out] = "whosaid_rq_zp"
    for n in new_nodes:
        for k, i in enumerate(n.input):
            if i in alias:
                n.input[k] = alias[i]
    del g.node[:]
    g.node.extend(new_nodes)
    props = [p for p in model.metadata_props if p.key != METADATA_KEY]
    del model.metadata_props[:]
    model.metadata_props.extend(props)
    value = "per-row u8" + (f"; fixed u8 for {len(static)} LayerNorm outputs" if static else "")
    model.metadata_props.append(onnx.StringStringEntryProto(key=METADATA_KEY, value=value))
    onnx.checker.check_model(model)
    return model


def read_windows(path: Path, limit: int, seed: int = 0) -> list:
    """Model rows (`input_ids`, `casing_ids`) from `dump_windows` output, a seeded sample."""
    import json
    import random
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            for w in json.loads(line)["windows"]:
                rows.append((w["input_ids"], w.get("casing_ids") or []))
    random.Random(seed).shuffle(rows)
    return rows[:limit]


def calibrate(model: onnx.ModelProto, rows: list, names: list) -> dict:
    """Range of each activation in `names` over `rows` (each run alone, so padding never
    counts), as an asymmetric u8 scale and zero point."""
    import onnxruntime as ort
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for nm in names:
        probe.graph.output.append(helper.make_empty_tensor_value_info(nm))
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    sess = ort.InferenceSession(probe.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in sess.get_inputs()}
    lo = {nm: 0.0 for nm in names}
    hi = {nm: 0.0 for nm in names}
    for ids, casing in rows:
        a = np.array([ids], dtype=np.int64)
        feed = {"input_ids": a, "attention_mask": np.ones_like(a)}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(a)
        if "casing_ids" in inputs:
            feed["casing_ids"] = np.array([casing or [0] * len(ids)], dtype=np.int64)
        outs = sess.run(names, feed)
        for nm, o in zip(names, outs):
            lo[nm] = min(lo[nm], float(o.min()))
            hi[nm] = max(hi[nm], float(o.max()))
    out = {}
    for nm in names:
        # asymmetric uint8 over the calibrated [lo, hi] (0 always inside, as ONNX requires)
        scale = max(hi[nm] - lo[nm], EPS) / 255.0
        out[nm] = (scale, int(np.clip(round(-lo[nm] / scale), 0, 255)))
    return out


def export(dynamic: onnx.ModelProto, calibration: Path = None, limit: int = 2000) -> onnx.ModelProto:
    """The export: per-row everywhere, then (with calibration windows) fixed scales for the
    encoder's LayerNorm outputs, calibrated on the per-row graph."""
    names = fixed_inputs(dynamic)
    if calibration is None:
        return rowwise(dynamic)
    first = onnx.ModelProto()
    first.CopyFrom(dynamic)
    rowwise(first)
    scales = calibrate(first, read_windows(calibration, limit), names)
    return rowwise(dynamic, scales)


def quantize_fp32(fp32: Path, out: Path, calibration: Path = None, limit: int = 2000) -> None:
    """fp32 graph -> dynamic int8 (QInt8 weights per channel) -> whosaid's activations."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    tmp = out.with_suffix(".dynamic.onnx")
    quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    model = export(onnx.load(str(tmp)), calibration, limit)
    onnx.save(model, str(out))
    tmp.unlink()


def dump_windows(model_dir: Path, texts: Path, out: Path) -> None:
    """The windows whosaid feeds the model for `texts` (JSONL with `text`), via the Rust side."""
    import subprocess
    root = Path(__file__).resolve().parent.parent
    exe = root / "target/release/examples/dump_windows"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release", "--example", "dump_windows"], check=True,
                       cwd=root)
    with open(out, "w") as f:
        subprocess.run([str(exe), str(model_dir), str(texts)], stdout=f, check=True)


def export_dir(model_dir: Path, fp32_name: str, texts: Path, limit: int = 2000) -> Path:
    """`model_dir/fp32_name` -> `model_dir/model.int8.onnx`, calibrated on the windows of
    `texts`. What train_joint.py and make_tiny_model.py call."""
    import tempfile
    out = model_dir / "model.int8.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        windows = Path(tmp) / "windows.jsonl"
        dump_windows(model_dir, texts, windows)
        quantize_fp32(model_dir / fp32_name, out, windows, limit)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--fp32", type=Path, help="fp32 ONNX graph to quantize")
    src.add_argument("--int8", type=Path, help="dynamic int8 graph to rewrite (in place without --out)")
    src.add_argument("--model-dir", type=Path,
                     help="model folder: its fp32 graph (--fp32-name) -> model.int8.onnx, "
                          "calibrated on the windows of --texts")
    ap.add_argument("--fp32-name", default="model.fp32.onnx", help="with --model-dir")
    ap.add_argument("--texts", type=Path, help="with --model-dir: JSONL with a `text` field")
    ap.add_argument("--out", type=Path, help="output file (default: in place for --int8)")
    ap.add_argument("--calibration", type=Path,
                    help="dump_windows output: LayerNorm outputs get fixed scales calibrated on it")
    ap.add_argument("--calibration-windows", type=int, default=2000,
                    help="windows sampled (seed 0) from --calibration (default 2000)")
    a = ap.parse_args()
    if a.model_dir:
        if not a.texts:
            ap.error("--model-dir needs --texts")
        out = export_dir(a.model_dir, a.fp32_name, a.texts, a.calibration_windows)
        print(f"wrote {out}", file=sys.stderr)
    elif a.fp32:
        if not a.out:
            ap.error("--fp32 needs --out")
        quantize_fp32(a.fp32, a.out, a.calibration, a.calibration_windows)
        print(f"wrote {a.out}", file=sys.stderr)
    else:
        out = a.out or a.int8
        model = export(onnx.load(str(a.int8)), a.calibration, a.calibration_windows)
        onnx.save(model, str(out))
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
