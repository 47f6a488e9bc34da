//! How loud the kiosk speaks: a few steps a keypad moves through, spanning more than the
//! 18 dB that EN 301 549 §8.2.1 asks of a speaker a citizen adjusts.

/// espeak-ng's amplitudes (`-a`, linear in the sound's pressure), about 3 dB apart: the
/// quietest is 20 dB below the loudest, and the loudest still does not clip.
const AMPLITUDES: [u8; 8] = [10, 14, 20, 28, 40, 56, 80, 100];

/// The step a new visit starts at: one below the loudest, so there is room to go up.
const USUAL: usize = 6;

/// A step of [`AMPLITUDES`]; every visit starts at the usual one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume(usize);

impl Default for Volume {
    fn default() -> Self {
        Volume(USUAL)
    }
}

impl Volume {
    pub const STEPS: usize = AMPLITUDES.len();

    /// The loudest step.
    pub fn loudest() -> Volume {
        Volume(AMPLITUDES.len() - 1)
    }

    /// The quietest step.
    pub fn quietest() -> Volume {
        Volume(0)
    }

    /// One step up; the loudest stays.
    pub fn louder(self) -> Volume {
        Volume((self.0 + 1).min(AMPLITUDES.len() - 1))
    }

    /// One step down; the quietest stays.
    pub fn quieter(self) -> Volume {
        Volume(self.0.saturating_sub(1))
    }

    /// 1 for the quietest to [`Volume::STEPS`] for the loudest, as the kiosk says it.
    pub fn step(self) -> usize {
        self.0 + 1
    }

    /// The amplitude espeak-ng is given.
    pub fn amplitude(self) -> u8 {
        AMPLITUDES[self.0]
    }

    /// How much louder this step is than the quietest, in decibels.
    pub fn above_quietest_db(self) -> f64 {
        20.0 * (f64::from(self.amplitude()) / f64::from(AMPLITUDES[0])).log10()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_span_more_than_18_db_and_stop_at_their_ends() {
        assert!(Volume::loudest().above_quietest_db() >= 18.0);
        assert_eq!(Volume::loudest().louder(), Volume::loudest());
        assert_eq!(Volume::quietest().quieter(), Volume::quietest());
        let mut v = Volume::quietest();
        let mut last = v.above_quietest_db();
        for _ in 1..Volume::STEPS {
            v = v.louder();
            let db = v.above_quietest_db();
            assert!((1.9..=3.5).contains(&(db - last)), "{db} after {last}");
            last = db;
        }
        assert_eq!(Volume::default().louder(), Volume::loudest());
        assert_eq!(Volume::default().step(), 7);
    }
}
