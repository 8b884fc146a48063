//! Signal measurements shared by the tests, benches and the comparison harness:
//! test tones and the delay-aligned SNR of a tone after processing, and the level of an
//! unquantised (`f32`) signal for alias-rejection measurements.

use std::f64::consts::PI;

/// A sine tone as PCM16: `amplitude` in sample units, `len` samples at `rate` Hz.
pub fn tone(freq_hz: f64, rate_hz: f64, amplitude: f64, len: usize) -> Vec<i16> {
    (0..len)
        .map(|n| {
            let v = amplitude * (2.0 * PI * freq_hz * n as f64 / rate_hz).sin();
            v.round().clamp(i16::MIN as f64, i16::MAX as f64) as i16
        })
        .collect()
}

/// Result of fitting a known-frequency sine to a processed signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneFit {
    /// Fitted amplitude, in sample units.
    pub amplitude: f64,
    /// Delay of the fitted sine relative to a sine starting at sample 0, in samples,
    /// modulo one period.
    pub delay_mod_period: f64,
    /// Signal to error ratio against the original tone (original amplitude) aligned to the
    /// fitted delay: gain error counts as error, a pure delay does not.
    pub snr_db: f64,
    /// Signal to noise-and-distortion ratio with the fitted amplitude (gain error ignored).
    pub sinad_db: f64,
}

/// Fits `amplitude·sin(2π·f·(n − d)/rate)` to `signal[skip..signal.len() - skip]` by least
/// squares and reports the SNR against the original tone of `amplitude`, delay aligned.
/// Returns `None` when less than one period remains after skipping.
pub fn fit_tone(
    signal: &[i16],
    freq_hz: f64,
    rate_hz: f64,
    amplitude: f64,
    skip: usize,
) -> Option<ToneFit> {
    let end = signal.len().checked_sub(skip)?;
    if end <= skip || ((end - skip) as f64) < rate_hz / freq_hz {
        return None;
    }
    let w = 2.0 * PI * freq_hz / rate_hz;
    let (mut ss, mut sc, mut cc, mut ys, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (n, &y) in signal.iter().enumerate().take(end).skip(skip) {
        let (s, c) = (w * n as f64).sin_cos();
        let y = f64::from(y);
        ss += s * s;
        sc += s * c;
        cc += c * c;
        ys += y * s;
        yc += y * c;
    }
    let det = ss * cc - sc * sc;
    if det.abs() < f64::EPSILON {
        return None;
    }
    // y ≈ a·sin(wn) + b·cos(wn) = A·sin(wn + φ)
    let a = (ys * cc - yc * sc) / det;
    let b = (yc * ss - ys * sc) / det;
    let fitted_amp = a.hypot(b);
    let phase = b.atan2(a);
    let period = rate_hz / freq_hz;
    let delay = (-phase / w).rem_euclid(period);
    let (mut sig, mut err_ref, mut err_fit) = (0.0, 0.0, 0.0);
    for (n, &y) in signal.iter().enumerate().take(end).skip(skip) {
        let arg = w * n as f64 + phase;
        let reference = amplitude * arg.sin();
        let fitted = fitted_amp * arg.sin();
        let y = f64::from(y);
        sig += reference * reference;
        err_ref += (y - reference) * (y - reference);
        err_fit += (y - fitted) * (y - fitted);
    }
    let db = |s: f64, e: f64| 10.0 * (s / e.max(1e-30)).log10();
    Some(ToneFit {
        amplitude: fitted_amp,
        delay_mod_period: delay,
        snr_db: db(sig, err_ref),
        sinad_db: db(
            fitted_amp * fitted_amp * sig / (amplitude * amplitude),
            err_fit,
        ),
    })
}

/// A sine tone in `f32` at PCM16 scale, unquantised, so a measurement is not limited by
/// the PCM16 noise floor.
pub fn tone_f32(freq_hz: f64, rate_hz: f64, amplitude: f64, len: usize) -> Vec<f32> {
    (0..len)
        .map(|n| (amplitude * (2.0 * PI * freq_hz * n as f64 / rate_hz).sin()) as f32)
        .collect()
}

/// Root-mean-square level of `signal` in dB (relative to 1.0); −300 dB for silence.
pub fn rms_db(signal: &[f32]) -> f64 {
    let energy: f64 = signal.iter().map(|v| f64::from(*v).powi(2)).sum();
    let mean = energy / signal.len().max(1) as f64;
    10.0 * mean.max(1e-30).log10()
}

/// Index of the largest absolute sample, used to read a processing delay off an
/// impulse response.
pub fn peak_index(signal: &[i16]) -> Option<usize> {
    signal
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| s.unsigned_abs())
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_delay_and_scores_a_clean_tone_high() {
        let t = tone(1000.0, 8000.0, 16000.0, 8000);
        let fit = fit_tone(&t, 1000.0, 8000.0, 16000.0, 100).unwrap();
        assert!(fit.snr_db > 85.0, "{fit:?}");
        assert!(fit.delay_mod_period.abs() < 1e-3 || (fit.delay_mod_period - 8.0).abs() < 1e-3);
        let delayed: Vec<i16> = std::iter::repeat_n(0, 3).chain(t.iter().copied()).collect();
        let fit = fit_tone(&delayed, 1000.0, 8000.0, 16000.0, 100).unwrap();
        assert!((fit.delay_mod_period - 3.0).abs() < 1e-3, "{fit:?}");
        let half: Vec<i16> = t.iter().map(|s| s / 2).collect();
        let fit = fit_tone(&half, 1000.0, 8000.0, 16000.0, 100).unwrap();
        assert!(fit.snr_db < 7.0 && fit.sinad_db > 80.0, "{fit:?}");
        assert!(fit_tone(&t[..6], 1000.0, 8000.0, 1.0, 0).is_none());
        assert_eq!(peak_index(&[0, -5, 3]), Some(1));
        let t = tone_f32(1000.0, 8000.0, 2.0, 8000);
        assert!((rms_db(&t) - 20.0 * 2f64.sqrt().log10()).abs() < 1e-3);
        assert!(rms_db(&[]) < -200.0);
    }
}
