//! Finds libopus for `servicepro-opus`.
//!
//! 1. Unless the `vendored` feature is on or `SERVICEPRO_OPUS_VENDORED=1`, ask pkg-config
//!    for a system `opus` ≥ 1.3 (`PKG_CONFIG=false` hides it, as CI does on purpose).
//! 2. Otherwise compile the vendored upstream release in `vendor/libopus` with the `cc`
//!    crate: the float build of the portable C sources only (no SIMD, no run-time CPU
//!    detection, no autotools/CMake), the configuration given as defines below.
//!
//! Either way the crate sees `SERVICEPRO_OPUS_LINKED` ("system" or "vendored") at
//! compile time, so tests and the CI step can tell which library they exercised.

use std::path::{Path, PathBuf};

/// `vendor/libopus/celt/*.c` (upstream `celt_sources.mk`, `CELT_SOURCES`).
const CELT: &[&str] = &[
    "bands",
    "celt",
    "celt_encoder",
    "celt_decoder",
    "cwrs",
    "entcode",
    "entdec",
    "entenc",
    "kiss_fft",
    "laplace",
    "mathops",
    "mdct",
    "modes",
    "pitch",
    "celt_lpc",
    "quant_bands",
    "rate",
    "vq",
];

/// `vendor/libopus/silk/*.c` (upstream `silk_sources.mk`, `SILK_SOURCES`).
const SILK: &[&str] = &[
    "CNG",
    "code_signs",
    "init_decoder",
    "decode_core",
    "decode_frame",
    "decode_parameters",
    "decode_indices",
    "decode_pulses",
    "decoder_set_fs",
    "dec_API",
    "enc_API",
    "encode_indices",
    "encode_pulses",
    "gain_quant",
    "interpolate",
    "LP_variable_cutoff",
    "NLSF_decode",
    "NSQ",
    "NSQ_del_dec",
    "PLC",
    "shell_coder",
    "tables_gain",
    "tables_LTP",
    "tables_NLSF_CB_NB_MB",
    "tables_NLSF_CB_WB",
    "tables_other",
    "tables_pitch_lag",
    "tables_pulses_per_block",
    "VAD",
    "control_audio_bandwidth",
    "quant_LTP_gains",
    "VQ_WMat_EC",
    "HP_variable_cutoff",
    "NLSF_encode",
    "NLSF_VQ",
    "NLSF_unpack",
    "NLSF_del_dec_quant",
    "process_NLSFs",
    "stereo_LR_to_MS",
    "stereo_MS_to_LR",
    "check_control_input",
    "control_SNR",
    "init_encoder",
    "control_codec",
    "A2NLSF",
    "ana_filt_bank_1",
    "biquad_alt",
    "bwexpander_32",
    "bwexpander",
    "debug",
    "decode_pitch",
    "inner_prod_aligned",
    "lin2log",
    "log2lin",
    "LPC_analysis_filter",
    "LPC_inv_pred_gain",
    "table_LSF_cos",
    "NLSF2A",
    "NLSF_stabilize",
    "NLSF_VQ_weights_laroia",
    "pitch_est_tables",
    "resampler",
    "resampler_down2_3",
    "resampler_down2",
    "resampler_private_AR2",
    "resampler_private_down_FIR",
    "resampler_private_IIR_FIR",
    "resampler_private_up2_HQ",
    "resampler_rom",
    "sigm_Q15",
    "sort",
    "sum_sqr_shift",
    "stereo_decode_pred",
    "stereo_encode_pred",
    "stereo_find_predictor",
    "stereo_quant_pred",
    "LPC_fit",
];

/// `vendor/libopus/silk/float/*.c` (upstream `SILK_SOURCES_FLOAT`).
const SILK_FLOAT: &[&str] = &[
    "apply_sine_window_FLP",
    "corrMatrix_FLP",
    "encode_frame_FLP",
    "find_LPC_FLP",
    "find_LTP_FLP",
    "find_pitch_lags_FLP",
    "find_pred_coefs_FLP",
    "LPC_analysis_filter_FLP",
    "LTP_analysis_filter_FLP",
    "LTP_scale_ctrl_FLP",
    "noise_shape_analysis_FLP",
    "process_gains_FLP",
    "regularize_correlations_FLP",
    "residual_energy_FLP",
    "warped_autocorrelation_FLP",
    "wrappers_FLP",
    "autocorrelation_FLP",
    "burg_modified_FLP",
    "bwexpander_FLP",
    "energy_FLP",
    "inner_product_FLP",
    "k2a_FLP",
    "LPC_inv_pred_gain_FLP",
    "pitch_analysis_core_FLP",
    "scale_copy_vector_FLP",
    "scale_vector_FLP",
    "schur_FLP",
    "sort_FLP",
];

/// `vendor/libopus/src/*.c`: upstream `OPUS_SOURCES` without multistream/projection
/// (unused), plus `OPUS_SOURCES_FLOAT` (the encoder's signal analysis).
const OPUS: &[&str] = &[
    "opus",
    "opus_decoder",
    "opus_encoder",
    "repacketizer",
    "analysis",
    "mlp",
    "mlp_data",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG");
    println!("cargo:rerun-if-env-changed=SERVICEPRO_OPUS_VENDORED");
    let forced = std::env::var_os("CARGO_FEATURE_VENDORED").is_some()
        || std::env::var("SERVICEPRO_OPUS_VENDORED").is_ok_and(|v| v == "1");
    if !forced
        && pkg_config::Config::new()
            .atleast_version("1.3")
            .probe("opus")
            .is_ok()
    {
        println!("cargo:rustc-env=SERVICEPRO_OPUS_LINKED=system");
        return;
    }
    build_vendored();
    println!("cargo:rustc-env=SERVICEPRO_OPUS_LINKED=vendored");
}

fn build_vendored() {
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR")).join("vendor/libopus");
    println!("cargo:rerun-if-changed={}", root.display());
    let version = package_version(&root);
    let mut build = cc::Build::new();
    for (dir, names) in [
        ("celt", CELT),
        ("silk", SILK),
        ("silk/float", SILK_FLOAT),
        ("src", OPUS),
    ] {
        for name in names {
            build.file(root.join(dir).join(format!("{name}.c")));
        }
    }
    build
        .include(root.join("include"))
        .include(root.join("celt"))
        .include(root.join("silk"))
        .include(root.join("silk/float"))
        // What upstream's configure would put in config.h for a portable float build.
        .define("OPUS_BUILD", None)
        // Scratch buffers as C99 variable-length arrays (configure's first choice).
        .define("VAR_ARRAYS", None)
        .define("HAVE_LRINTF", None)
        .define("HAVE_LRINT", None)
        .define("PACKAGE_VERSION", format!("\"{version}\"").as_str())
        // The codec runs on every recorded call: optimise it even in debug builds, as
        // the system library is.
        .opt_level(2)
        // Upstream's code, upstream's warnings: not ours to fix or to print on every build.
        .warnings(false)
        .flag_if_supported("-w")
        .compile("opus");
    if env("CARGO_CFG_TARGET_FAMILY") == "unix" {
        println!("cargo:rustc-link-lib=m");
    }
    println!("cargo:include={}", root.join("include").display());
}

/// The release number from upstream's `package_version` (`PACKAGE_VERSION="1.3.1"`).
fn package_version(root: &Path) -> String {
    let text = match std::fs::read_to_string(root.join("package_version")) {
        Ok(text) => text,
        Err(e) => panic!("vendor/libopus/package_version: {e}"),
    };
    match text
        .trim()
        .strip_prefix("PACKAGE_VERSION=\"")
        .and_then(|v| v.strip_suffix('"'))
    {
        Some(version) => version.to_owned(),
        None => panic!("vendor/libopus/package_version: unexpected contents {text:?}"),
    }
}

fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) => value,
        Err(e) => panic!("{name}: {e}"),
    }
}
