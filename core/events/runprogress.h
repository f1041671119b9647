// SPDX-License-Identifier: GPL-3.0-or-later
// Where a running quantization stands, in the words the CLI and the GUI
// both print: "warm-up step 12/300 · ETA ~1:20 (at most)". Fed with the
// run's progress events in order, it knows the current step (a phase of
// a unit, a setup step, the warm-up, an evaluated set), k of N, and the
// step's time left from the pace of its own events.
//
// Not thread-safe: one front end feeds and reads it on one thread.
#pragma once

#include "runsink.h"

namespace metaaug {

// "1:05" / "1:02:03"; "–" for a negative or non-finite value.
QString formatDuration(double seconds);

class RunProgress {
public:
    // Takes the next event; true when it starts a new step (another phase,
    // unit or detail than the previous event).
    bool add(const ProgressEvent &e);

    bool empty() const { return !m_any; }
    const ProgressEvent &last() const { return m_last; }
    // Run time (seconds since the run started) at which the current step's
    // first event came.
    double stepStartSeconds() const { return m_firstElapsed; }

    // Share of the current step done in [0, 1]; -1 for a step without a
    // count (a whole-set pass: a front end shows it as busy).
    double stepFraction() const;
    // Seconds left in the current step at run time `now` (>= the last
    // event's elapsedSeconds; a front end's clock runs on between events);
    // NaN while unknown (no iteration done yet, or a step without a count).
    double stepSecondsLeft(double now) const;
    // The step in words, with its ETA where known:
    //   "setup 3/6: reading 128 calibration images"
    //   "unit 3/11 layer1.0 · activation cache"
    //   "warm-up step 12/300 · ETA ~1:20 (at most: it stops once T is near eps)"
    //   "unit 3/11 layer1.0 · meta iteration 40/100 · ETA ~0:20"
    //   "evaluation: test set 2560/10000 images · ETA ~1:20"
    QString text(double now) const;
    QString text() const { return text(m_last.elapsedSeconds); }
    // The step without its ETA (a finished run's last step).
    QString stepText() const;

private:
    ProgressEvent m_last;
    bool m_any = false;
    double m_previousElapsed = 0;  // of the event before the step's first
    double m_firstElapsed = 0;     // of the step's first event
    int m_firstIteration = 0;
};

}  // namespace metaaug
