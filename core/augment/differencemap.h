// The signed difference T(x) - x of an image event as a picture: a
// diverging colour map (blue below zero, white at zero, red above) whose
// scale is symmetric about zero, so equal |changes| get equal intensity.
// OpenCV only: the GUI draws it with its scale bar.
#pragma once

#include <opencv2/core.hpp>

namespace metaaug::augment {

struct DifferenceMap {
    cv::Mat image;        // BGR, the strips' size
    double maxAbs = 0;    // the colour scale runs from -maxAbs to +maxAbs (8-bit levels)
};

// `originals` and `transformed`: 8-bit strips of one image event (gray or
// BGR, equal size, mapped with the same range). Channels are averaged.
DifferenceMap differenceMap(const cv::Mat &originals, const cv::Mat &transformed);

// The colour of a signed value v in [-1, 1] (BGR), as the map uses it.
cv::Vec3b divergingColour(double v);

}  // namespace metaaug::augment
