// SPDX-License-Identifier: GPL-3.0-or-later
// One file of an image folder: header check, OpenCV decode and the
// preprocessing, for a grayscale 28x28 and an RGB 32x32 model input.
#include "data/imagefolder.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    static const PreprocessSpec gray;  // Fashion-MNIST card defaults
    static const PreprocessSpec rgb = [] {
        PreprocessSpec s;
        s.channels = 3;
        s.resize = s.height = s.width = 32;
        s.mean = {0.5, 0.5, 0.5};
        s.std = {0.25, 0.25, 0.25};
        return s;
    }();
    const QByteArray bytes = fuzz::bytesOf(data, size);
    for (const PreprocessSpec *spec : {&gray, &rgb}) {
        QString reason;
        const cv::Mat img = decodeImage(bytes, *spec, &reason);
        if (img.empty() ? reason.isEmpty()
                        : (img.rows != spec->height || img.cols != spec->width || img.channels() != spec->channels))
            std::abort();
    }
    return 0;
}
