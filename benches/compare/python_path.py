#!/usr/bin/env python3
"""The common Python voice-agent media path, for comparison with servicepro-media.

This is what pipecat's Twilio serializer does per 20 ms frame, in both directions:
  caller -> AI:  base64 decode -> audioop.ulaw2lin -> soxr ResampleStream 8k->24k (VHQ,
                 int16) -> base64 encode (PCM16 LE for the provider)
  AI -> caller:  base64 decode (PCM16 LE 24k) -> soxr ResampleStream 24k->8k (VHQ, int16)
                 -> audioop.lin2ulaw -> base64 encode (mu-law for Twilio)

Modes:
  python_path.py --frames N     run N duplex frames on the speech fixture (for callgrind:
                                subtract a --frames 0 run to count the per-frame loop only)
  python_path.py --measure      print calls per core, tone SNR and delay as JSON

The script creates benches/compare/.venv with soxr and numpy on first use and re-runs
itself there. It needs CPython <= 3.12 (audioop).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
VENV_PY = os.path.join(VENV, "bin", "python")
FIXTURE = os.path.join(HERE, "..", "..", "fixtures", "audio", "speech10s.wav")


def ensure_venv() -> None:
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(VENV_PY):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([VENV_PY, "-m", "pip", "install", "-q", "soxr", "numpy"])
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__), *sys.argv[1:]])


ensure_venv()

import audioop  # noqa: E402  (deprecated, present in 3.11/3.12)
import base64  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
import wave  # noqa: E402

import numpy as np  # noqa: E402
import soxr  # noqa: E402

QUALITY = "VHQ"


def read_ulaw_fixture() -> bytes:
    # The fixture is mu-law WAV (format 7), which the wave module refuses; read the data chunk.
    data = open(FIXTURE, "rb").read()
    pos = 12
    while pos + 8 <= len(data):
        cid = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if cid == b"data":
            return data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
    raise SystemExit("no data chunk in fixture")


class Duplex:
    """One call's two stream resamplers, as pipecat keeps them per serializer."""

    def __init__(self) -> None:
        self.up = soxr.ResampleStream(8000, 24000, 1, dtype="int16", quality=QUALITY)
        self.down = soxr.ResampleStream(24000, 8000, 1, dtype="int16", quality=QUALITY)

    def inbound(self, twilio_payload_b64: str) -> str:
        ulaw = base64.b64decode(twilio_payload_b64)
        pcm8 = audioop.ulaw2lin(ulaw, 2)
        pcm24 = self.up.resample_chunk(np.frombuffer(pcm8, dtype=np.int16))
        return base64.b64encode(pcm24.tobytes()).decode("ascii")

    def outbound(self, provider_delta_b64: str) -> str:
        pcm24 = base64.b64decode(provider_delta_b64)
        pcm8 = self.down.resample_chunk(np.frombuffer(pcm24, dtype=np.int16))
        ulaw = audioop.lin2ulaw(pcm8.tobytes(), 2)
        return base64.b64encode(ulaw).decode("ascii")


def frames_from_fixture():
    """Base64 Twilio frames (160 mu-law bytes) and provider deltas (480 PCM16 at 24k)."""
    ulaw = read_ulaw_fixture()
    twilio = [
        base64.b64encode(ulaw[i : i + 160]).decode("ascii")
        for i in range(0, len(ulaw) - 159, 160)
    ]
    # The provider side carries the same speech at 24 kHz (upsampled once, outside the loop).
    pcm8 = np.frombuffer(audioop.ulaw2lin(ulaw, 2), dtype=np.int16)
    pcm24 = soxr.resample(pcm8, 8000, 24000, quality=QUALITY)
    provider = [
        base64.b64encode(pcm24[i : i + 480].tobytes()).decode("ascii")
        for i in range(0, len(pcm24) - 479, 480)
    ]
    n = min(len(twilio), len(provider))
    return twilio[:n], provider[:n]


def run_frames(n: int, twilio, provider) -> float:
    d = Duplex()
    sink = 0
    start = time.perf_counter()
    for i in range(n):
        j = i % len(twilio)
        sink += len(d.inbound(twilio[j]))
        sink += len(d.outbound(provider[j]))
    elapsed = time.perf_counter() - start
    if sink < 0:
        print(sink)
    return elapsed


def fit_tone(signal, freq, rate, amplitude, skip):
    """Same delay-aligned fit as servicepro_media::signal::fit_tone."""
    y = signal[skip : len(signal) - skip].astype(np.float64)
    n = np.arange(skip, skip + len(y), dtype=np.float64)
    w = 2 * math.pi * freq / rate
    s, c = np.sin(w * n), np.cos(w * n)
    ss, sc, cc = s @ s, s @ c, c @ c
    ys, yc = y @ s, y @ c
    det = ss * cc - sc * sc
    a = (ys * cc - yc * sc) / det
    b = (yc * ss - ys * sc) / det
    amp, phase = math.hypot(a, b), math.atan2(b, a)
    ref = amplitude * np.sin(w * n + phase)
    fitted = amp * np.sin(w * n + phase)
    snr = 10 * math.log10((ref @ ref) / ((y - ref) @ (y - ref)))
    sinad = 10 * math.log10((fitted @ fitted) / max((y - fitted) @ (y - fitted), 1e-30))
    return snr, sinad


def tone_test():
    """1 kHz tone, PCM16 at every hop, through 8k->24k->8k in 20 ms frames."""
    rate, freq, amp = 8000, 1000.0, 16384.0
    n = np.arange(2 * rate)
    x = np.round(amp * np.sin(2 * math.pi * freq * n / rate)).astype(np.int16)
    up = soxr.ResampleStream(8000, 24000, 1, dtype="int16", quality=QUALITY)
    mid = np.concatenate([up.resample_chunk(x[i : i + 160]) for i in range(0, len(x), 160)])
    down = soxr.ResampleStream(24000, 8000, 1, dtype="int16", quality=QUALITY)
    back = np.concatenate(
        [down.resample_chunk(mid[i : i + 480]) for i in range(0, len(mid), 480)]
    )
    return fit_tone(back, freq, rate, amp, 800)


def stream_lag_ms(in_rate, out_rate, frame):
    """Average and worst lag (input fed minus output emitted), over 2 s of 20 ms frames."""
    s = soxr.ResampleStream(in_rate, out_rate, 1, dtype="int16", quality=QUALITY)
    fed = out = 0
    lags = []
    x = np.zeros(frame, dtype=np.int16)
    for _ in range(100):
        out += len(s.resample_chunk(x))
        fed += frame * out_rate // in_rate
        lags.append((fed - out) * 1000 / out_rate)
    steady = lags[50:]
    return sum(steady) / len(steady), max(steady), s.delay() * 1000 / out_rate


def measure() -> dict:
    twilio, provider = frames_from_fixture()
    run_frames(200, twilio, provider)  # warm up
    n = 5000
    best = min(run_frames(n, twilio, provider) for _ in range(5))
    per_frame = best / n
    snr, sinad = tone_test()
    up_avg, up_max, up_delay = stream_lag_ms(8000, 24000, 160)
    down_avg, down_max, down_delay = stream_lag_ms(24000, 8000, 480)
    return {
        "impl": f"python {sys.version.split()[0]} audioop + soxr {soxr.__version__} {QUALITY}",
        "us_per_duplex_frame": per_frame * 1e6,
        "calls_per_core": 0.020 / per_frame,
        "tone_snr_db": snr,
        "tone_sinad_db": sinad,
        "delay_up_ms": up_delay,
        "delay_down_ms": down_delay,
        "lag_up_avg_ms": up_avg,
        "lag_up_max_ms": up_max,
        "lag_down_avg_ms": down_avg,
        "lag_down_max_ms": down_max,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--frames", type=int, help="run N duplex frames and exit")
    p.add_argument("--measure", action="store_true")
    args = p.parse_args()
    if args.frames is not None:
        twilio, provider = frames_from_fixture()
        run_frames(args.frames, twilio, provider)
        return
    print(json.dumps(measure(), indent=2))


if __name__ == "__main__":
    main()
