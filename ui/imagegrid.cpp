#include "imagegrid.h"

#include <QtGui/QMouseEvent>
#include <QtWidgets/QDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSlider>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
QPixmap scaled(const QImage &img, int width)
{
    if (img.isNull())
        return {};
    return QPixmap::fromImage(img.scaledToWidth(std::max(32, width), Qt::FastTransformation));
}
}  // namespace

ImageGrid::ImageGrid(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_caption = new QLabel(tr("No images yet: MetaAug sends originals and T(x) during its meta phase."), this);
    m_caption->setObjectName(QStringLiteral("imageCaption"));
    m_caption->setWordWrap(true);
    auto titled = [this, l](const QString &title, QLabel **label) {
        l->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title), this));
        *label = new QLabel(this);
        (*label)->setMinimumHeight(40);
        (*label)->setCursor(Qt::PointingHandCursor);
        (*label)->setToolTip(tr("Click to enlarge"));
        (*label)->installEventFilter(this);
        l->addWidget(*label);
    };
    l->addWidget(m_caption);
    titled(tr("Originals x"), &m_originals);
    titled(tr("Transformed T(x)"), &m_transformed);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("imageSlider"));
    m_slider->setToolTip(tr("Browse earlier image events"));
    m_slider->setEnabled(false);
    l->addWidget(m_slider);
    l->addStretch(1);
    connect(m_slider, &QSlider::valueChanged, this, &ImageGrid::show);
}

void ImageGrid::setPairs(const QVector<ImagePair> &pairs, const std::map<int, QString> &unitNames)
{
    const bool followNewest = m_slider->value() == m_slider->maximum();
    const int before = m_pairs.size();
    m_pairs = pairs;
    m_unitNames = unitNames;
    m_slider->blockSignals(true);
    m_slider->setRange(0, std::max(0, int(pairs.size()) - 1));
    m_slider->setEnabled(pairs.size() > 1);
    if (followNewest || before == 0)
        m_slider->setValue(m_slider->maximum());
    m_slider->blockSignals(false);
    show(pairs.isEmpty() ? -1 : m_slider->value());
}

int ImageGrid::shownIndex() const
{
    return m_pairs.isEmpty() ? -1 : m_slider->value();
}

QString ImageGrid::caption() const
{
    return m_caption->text();
}

void ImageGrid::show(int index)
{
    if (index < 0 || index >= m_pairs.size()) {
        m_originals->clear();
        m_transformed->clear();
        return;
    }
    const ImagePair &p = m_pairs[index];
    auto it = m_unitNames.find(p.unit);
    m_caption->setText(tr("Unit %1 (%2), meta iteration %3 — event %4 of %5")
                           .arg(p.unit + 1).arg(it == m_unitNames.end() ? QStringLiteral("?") : it->second)
                           .arg(p.iteration).arg(index + 1).arg(m_pairs.size()));
    const int w = std::max(200, width() - 20);
    m_originals->setPixmap(scaled(p.originals, w));
    m_transformed->setPixmap(scaled(p.transformed, w));
}

bool ImageGrid::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_originals || watched == m_transformed) && event->type() == QEvent::MouseButtonRelease) {
        enlarge();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ImageGrid::enlarge()
{
    const int index = shownIndex();
    if (index < 0)
        return;
    const ImagePair &p = m_pairs[index];
    auto *dlg = new QDialog(this);
    dlg->setObjectName(QStringLiteral("enlargedImages"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(m_caption->text());
    auto *l = new QVBoxLayout(dlg);
    for (const auto &[title, img] : {std::pair{tr("Originals x"), p.originals}, std::pair{tr("Transformed T(x)"), p.transformed}}) {
        l->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title), dlg));
        auto *label = new QLabel(dlg);
        label->setPixmap(scaled(img, std::min(1600, img.width() * 4)));
        l->addWidget(label);
    }
    dlg->open();
}

}  // namespace metaaug::ui
