//! The playhead: where on the virtual clock the page is, whether it moves, how fast. A Yew reducer, so
//! every control (buttons, keys, the scrubber, animation frames) goes through the same few actions.

use std::rc::Rc;

use yew::Reducible;

/// The speeds offered (virtual seconds per real second).
pub const SPEEDS: [f64; 6] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// A speed as the menu shows it and storage keeps it (`0.5`, `16`): tenths in integers, so the wasm
/// needs no float printing.
pub fn speed_text(speed: f64) -> String {
    let tenths = (speed * 10.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Two moments closer than this are the same moment (times are whole milliseconds).
const EPSILON: f64 = 0.0005;

#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// The playhead, in virtual seconds.
    pub t: f64,
    pub playing: bool,
    pub speed: f64,
    /// The end of the trace.
    pub end: f64,
    /// The distinct moments at which events happen.
    pub times: Rc<Vec<f64>>,
    pub deletion: Option<f64>,
}

impl Default for Playback {
    fn default() -> Self {
        Playback {
            t: 0.0,
            playing: false,
            speed: 1.0,
            end: 0.0,
            times: Rc::new(Vec::new()),
            deletion: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaybackAction {
    /// A new trace: keep the playhead where it is (clamped), so editing does not lose your place.
    Load {
        end: f64,
        times: Rc<Vec<f64>>,
        deletion: Option<f64>,
    },
    Toggle,
    Pause,
    Seek(f64),
    /// An animation frame: this many real milliseconds passed.
    Tick(f64),
    NextEvent,
    PreviousEvent,
    Start,
    End,
    Deletion,
    Speed(f64),
}

impl Playback {
    pub fn step(&self, action: PlaybackAction) -> Playback {
        let mut next = self.clone();
        match action {
            PlaybackAction::Load {
                end,
                times,
                deletion,
            } => {
                next.end = end;
                next.times = times;
                next.deletion = deletion;
                next.t = self.t.clamp(0.0, end);
                if next.t >= end {
                    next.playing = false;
                }
            }
            PlaybackAction::Toggle => {
                next.playing = !self.playing;
                if next.playing && self.t >= self.end {
                    next.t = 0.0;
                }
            }
            PlaybackAction::Pause => next.playing = false,
            PlaybackAction::Seek(t) => next.t = t.clamp(0.0, self.end),
            PlaybackAction::Tick(real_ms) => {
                if self.playing {
                    next.t = (self.t + real_ms.max(0.0) / 1000.0 * self.speed).min(self.end);
                    if next.t >= self.end {
                        next.playing = false;
                    }
                }
            }
            PlaybackAction::NextEvent => {
                next.playing = false;
                next.t = self
                    .times
                    .iter()
                    .copied()
                    .find(|&t| t > self.t + EPSILON)
                    .unwrap_or(self.end);
            }
            PlaybackAction::PreviousEvent => {
                next.playing = false;
                next.t = self
                    .times
                    .iter()
                    .copied()
                    .rev()
                    .find(|&t| t < self.t - EPSILON)
                    .unwrap_or(0.0);
            }
            PlaybackAction::Start => next.t = 0.0,
            PlaybackAction::End => {
                next.t = self.end;
                next.playing = false;
            }
            PlaybackAction::Deletion => {
                if let Some(t) = self.deletion {
                    next.t = t;
                    next.playing = false;
                }
            }
            PlaybackAction::Speed(speed) => next.speed = speed.clamp(SPEEDS[0], SPEEDS[5]),
        }
        next
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        Rc::new(self.step(action))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn loaded() -> Playback {
        Playback::default().step(PlaybackAction::Load {
            end: 30.0,
            times: Rc::new(vec![0.0, 0.5, 2.5, 3.0, 20.0]),
            deletion: Some(20.0),
        })
    }

    #[test]
    fn next_and_previous_event_walk_the_distinct_moments() {
        let p = loaded().step(PlaybackAction::NextEvent);
        assert_eq!(p.t, 0.5);
        let p = p
            .step(PlaybackAction::NextEvent)
            .step(PlaybackAction::NextEvent);
        assert_eq!(p.t, 3.0);
        assert_eq!(p.step(PlaybackAction::PreviousEvent).t, 2.5);
        let p = p.step(PlaybackAction::Seek(2.7));
        assert_eq!(p.step(PlaybackAction::PreviousEvent).t, 2.5);
        assert_eq!(p.step(PlaybackAction::NextEvent).t, 3.0);
        let last = p
            .step(PlaybackAction::Seek(20.0))
            .step(PlaybackAction::NextEvent);
        assert_eq!(last.t, 30.0);
    }

    #[test]
    fn playing_advances_by_speed_and_stops_at_the_end() {
        let p = loaded()
            .step(PlaybackAction::Speed(4.0))
            .step(PlaybackAction::Toggle);
        let p = p.step(PlaybackAction::Tick(1000.0));
        assert_eq!(p.t, 4.0);
        assert!(p.playing);
        let p = p.step(PlaybackAction::Tick(60_000.0));
        assert_eq!(p.t, 30.0);
        assert!(!p.playing);
        // Play at the end starts over.
        assert_eq!(p.step(PlaybackAction::Toggle).t, 0.0);
    }

    #[test]
    fn a_paused_playhead_ignores_frames_and_a_new_trace_keeps_it_in_range() {
        let p = loaded().step(PlaybackAction::Seek(25.0));
        assert_eq!(p.step(PlaybackAction::Tick(500.0)).t, 25.0);
        let shorter = p.step(PlaybackAction::Load {
            end: 10.0,
            times: Rc::new(vec![0.0]),
            deletion: None,
        });
        assert_eq!(shorter.t, 10.0);
        assert_eq!(shorter.step(PlaybackAction::Deletion).t, 10.0);
        assert_eq!(loaded().step(PlaybackAction::Deletion).t, 20.0);
        assert_eq!(loaded().step(PlaybackAction::Speed(100.0)).speed, 16.0);
    }
}
