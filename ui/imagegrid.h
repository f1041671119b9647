// Original calibration images beside their T(x), as the engine's image
// events deliver them (one strip each), with the unit and meta iteration
// they belong to. A slider browses earlier events; a click enlarges.
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

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void show(int index);
    void enlarge();

    QVector<ImagePair> m_pairs;
    std::map<int, QString> m_unitNames;
    QLabel *m_originals, *m_transformed, *m_caption;
    QSlider *m_slider;
};

}  // namespace metaaug::ui
