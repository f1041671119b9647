// SPDX-License-Identifier: GPL-3.0-or-later
// The signed difference T(x) - x of an image event as a picture: a
// diverging colour map (blue below zero, white at zero, red above) whose
// scale is symmetric about zero, so equal |changes| get equal intensity.
// The scale is the 99th percentile of |T(x) - x| (values beyond saturate):
// with the maximum, one clipped pixel would wash out the whole map.
// OpenCV only: the GUI draws it with its scale bar.
#pragma once

#include <opencv2/core.hpp>

namespace metaaug::augment {

struct DifferenceMap {
    cv::Mat image;        // BGR, the strips' size
    double scale = 0;     // the colour scale runs from -scale to +scale (8-bit levels), at least 1
};

// `originals` and `transformed`: 8-bit strips of one image event (gray or
// BGR, equal size, mapped with the same range). Channels are averaged.
DifferenceMap differenceMap(const cv::Mat &originals, const cv::Mat &transformed);

// The colour of a signed value v in [-1, 1] (BGR), as the map uses it.
cv::Vec3b divergingColour(double v);

}  // namespace metaaug::augment
