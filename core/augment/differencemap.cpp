// SPDX-License-Identifier: GPL-3.0-or-later
#include "differencemap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace metaaug::augment {

cv::Vec3b divergingColour(double v)
{
    v = std::clamp(v, -1.0, 1.0);
    // White at 0, pure blue at -1 and pure red at +1 (BGR), linear between.
    const auto fade = [](double a) { return uchar(std::lround(255.0 * (1.0 - a))); };
    return v < 0 ? cv::Vec3b(255, fade(-v), fade(-v)) : cv::Vec3b(fade(v), fade(v), 255);
}

DifferenceMap differenceMap(const cv::Mat &originals, const cv::Mat &transformed)
{
    DifferenceMap out;
    if (originals.empty() || originals.size() != transformed.size() || originals.type() != transformed.type())
        return out;
    cv::Mat a, b;
    originals.convertTo(a, CV_32F);
    transformed.convertTo(b, CV_32F);
    cv::Mat d = b - a;
    if (d.channels() > 1) {
        cv::Mat flat = d.reshape(1, int(d.total()));
        cv::reduce(flat, flat, 1, cv::REDUCE_AVG);
        d = flat.reshape(1, originals.rows);
    }
    std::vector<float> magnitudes(d.begin<float>(), d.end<float>());
    for (float &m : magnitudes)
        m = std::abs(m);
    const size_t k = std::min(magnitudes.size() - 1, size_t(0.99 * double(magnitudes.size())));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + std::ptrdiff_t(k), magnitudes.end());
    out.scale = std::max(double(magnitudes[k]), 1.0);  // at least one level, so copies show white
    cv::Mat index;
    d.convertTo(index, CV_8U, 127.5 / out.scale, 127.5);  // saturates beyond the scale
    cv::Mat lut(256, 1, CV_8UC3);
    for (int i = 0; i < 256; ++i)
        lut.at<cv::Vec3b>(i) = divergingColour((i - 127.5) / 127.5);
    cv::applyColorMap(index, out.image, lut);
    return out;
}

}  // namespace metaaug::augment
