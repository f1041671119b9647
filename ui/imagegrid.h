// SPDX-License-Identifier: GPL-3.0-or-later
// Original calibration images above their T(x) and the signed difference
// T(x) - x (diverging colours, symmetric scale bar), as the engine's image
// events deliver them (one strip each), with the unit and step they belong
// to. Thumbnails are at least 56 px for 28x28 inputs and half size (>= 112
// px) for 224x224 ones, scrolled when wider than the panel. A slider
// browses every event of the run; a click enlarges.
#pragma once

#include "runevents.h"

#include <QtWidgets/QWidget>

class QLabel;
class QSlider;

namespace metaaug::ui {

class ImageGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget *parent = nullptr);

    // Shows the newest pair unless the user moved the slider back.
    void setPairs(const QVector<ImagePair> &pairs, const std::map<int, QString> &unitNames);
    int shownIndex() const;
    QString caption() const;
    // Display size of one image of the shown strip, in pixels.
    int thumbnailSize() const;
    // The colour scale of the shown difference map: -x .. +x levels of 255.
    double differenceScale() const { return m_differenceScale; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void show(int index);
    void enlarge();

    QVector<ImagePair> m_pairs;
    std::map<int, QString> m_unitNames;
    QLabel *m_originals, *m_transformed, *m_difference, *m_scaleBar, *m_caption;
    QSlider *m_slider;
    double m_differenceScale = 0;
    QImage m_differenceImage;
};

}  // namespace metaaug::ui
