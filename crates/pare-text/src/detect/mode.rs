//! The detector's modes: how much it removes, each by one name everywhere.

use super::model;

/// How much more probable than the threshold a line outside the body span must be to stay.
/// Chosen with the threshold on held-out pages (`examples/train_detector.rs`): removing every
/// line outside the span lost the whole article on 7% of unseen pages.
pub const OUTSIDE_SPAN_FACTOR: f32 = 1.1;

/// How much the detector removes. Named by [`DetectMode::name`] everywhere: on the command
/// line, in a configuration file (serde) and in Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum DetectMode {
    /// Rules only: the detector does not run.
    Off,
    /// Remove only lines that are clearly not body (half the standard threshold, inside the
    /// body span and out).
    Conservative,
    /// The balance chosen on the benchmark.
    #[default]
    Standard,
    /// Remove more, at some risk to body lines.
    Aggressive,
}

impl DetectMode {
    /// Every mode, from removing least to removing most.
    pub const ALL: [DetectMode; 4] = [
        DetectMode::Off,
        DetectMode::Conservative,
        DetectMode::Standard,
        DetectMode::Aggressive,
    ];

    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            DetectMode::Off => "off",
            DetectMode::Conservative => "conservative",
            DetectMode::Standard => "standard",
            DetectMode::Aggressive => "aggressive",
        }
    }

    /// What the mode does, in a line (for the command line's help).
    pub fn help(self) -> &'static str {
        match self {
            DetectMode::Off => "Rules only: the detector does not run",
            DetectMode::Conservative => "Remove only lines that are clearly not body",
            DetectMode::Standard => "The balance chosen on the benchmarks",
            DetectMode::Aggressive => "Remove more, at some risk to body lines",
        }
    }

    /// The minimum body probability a line needs to stay.
    pub fn threshold(self) -> Option<f32> {
        match self {
            DetectMode::Off => None,
            DetectMode::Conservative => Some(model::THRESHOLD * 0.5),
            DetectMode::Standard => Some(model::THRESHOLD),
            DetectMode::Aggressive => Some((model::THRESHOLD + 1.0) / 2.0),
        }
    }

    /// The minimum body probability a line outside the body span needs to stay: more than
    /// inside it (related stories and reader comments read like the article), but reachable,
    /// so that an article the span missed is kept rather than thrown away. The conservative
    /// mode asks no more outside the span than inside it.
    pub fn outside_span_threshold(self) -> Option<f32> {
        match self {
            DetectMode::Conservative => self.threshold(),
            _ => Some(self.threshold()? * OUTSIDE_SPAN_FACTOR),
        }
    }
}

/// A name that is no [`DetectMode`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("detect must be off, conservative, standard or aggressive, not {0:?}")]
pub struct UnknownDetectMode(pub String);

impl std::str::FromStr for DetectMode {
    type Err = UnknownDetectMode;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        (DetectMode::ALL.into_iter())
            .find(|mode| mode.name() == name)
            .ok_or_else(|| UnknownDetectMode(name.to_string()))
    }
}

impl TryFrom<String> for DetectMode {
    type Error = UnknownDetectMode;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl From<DetectMode> for &'static str {
    fn from(mode: DetectMode) -> Self {
        mode.name()
    }
}

impl std::fmt::Display for DetectMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
