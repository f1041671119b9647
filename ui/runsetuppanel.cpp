#include "runsetuppanel.h"

#include "methods/metaaug/metaaugoptioninfo.h"
#include "methods/methodcatalog.h"
#include "run/presets.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QSettings>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
QSpinBox *spin(QWidget *parent, const char *name, int lo, int hi, int value, const QString &tip)
{
    auto *s = new QSpinBox(parent);
    s->setObjectName(QLatin1String(name));
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    s->setAccelerated(true);
    return s;
}
}  // namespace

RunSetupPanel::RunSetupPanel(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    outer->addLayout(form);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("preset"));
    for (const RunPreset &p : runPresets()) {
        m_preset->addItem(p.label, p.id);
        m_preset->setItemData(m_preset->count() - 1, p.description, Qt::ToolTipRole);
    }
    m_preset->setToolTip(tr("Sets calibration size, iterations, evaluation size and the MetaAug options together"));
    form->addRow(tr("Preset"), m_preset);

    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("method"));
    for (const QString &id : methods::methodIds()) {
        m_method->addItem(id, id);
        m_method->setItemData(m_method->count() - 1, methods::methodDescription(id), Qt::ToolTipRole);
    }
    m_method->setCurrentIndex(std::max(0, m_method->findData(QStringLiteral("metaaug"))));
    m_method->setToolTip(tr("Quantization method (docs/algorithms.md); hover an entry for what it does"));
    form->addRow(tr("&Method"), m_method);
    m_wbits = spin(this, "wbits", 2, 8, 2, tr("Weight bits of the quantized layers (2–8; default 2). First and last layer stay at 8 bits."));
    m_abits = spin(this, "abits", 2, 8, 4, tr("Activation bits (2–8; default 4)."));
    form->addRow(tr("&Weight bits"), m_wbits);
    form->addRow(tr("&Activation bits"), m_abits);
    m_setting = new QComboBox(this);
    m_setting->setObjectName(QStringLiteral("setting"));
    m_setting->addItem(QStringLiteral("qdrop"), QStringLiteral("qdrop"));
    m_setting->addItem(QStringLiteral("brecq"), QStringLiteral("brecq"));
    m_setting->setToolTip(tr("Bit policy: qdrop (default: first conv W8 with an FP image input, last linear W8A8) or brecq "
                             "(also the second layer's input at 8 bit)"));
    form->addRow(tr("Bit policy"), m_setting);
    m_calib = spin(this, "calibSize", 1, 1000000, 1024, tr("Calibration images, chosen from the calibration data by the seed (default 1024)."));
    m_iters = spin(this, "iterations", 0, 10000000, 500, tr("Reconstruction iterations per unit (default 500; the public code uses 20000)."));
    m_batch = spin(this, "batch", 1, 65536, 32, tr("Reconstruction batch size (default 32)."));
    m_seed = spin(this, "seed", 0, std::numeric_limits<int>::max(), 0, tr("Seed of the calibration choice and of every random draw (default 0): the same inputs and seed give the same run."));
    m_evalLimit = spin(this, "evalLimit", 0, 100000000, 0, tr("Evaluate on the first N images of the evaluation data (default 0 = all)."));
    m_threads = spin(this, "threads", 1, 64, 1, tr("LibTorch threads of the run (default 1; 2 help only when the other core is idle)."));
    form->addRow(tr("&Calibration images"), m_calib);
    form->addRow(tr("&Iterations per unit"), m_iters);
    form->addRow(tr("&Batch"), m_batch);
    form->addRow(tr("&Seed"), m_seed);
    form->addRow(tr("&Evaluation limit"), m_evalLimit);
    form->addRow(tr("&Threads"), m_threads);

    m_meta = new QGroupBox(tr("MetaAug options"), this);
    m_meta->setObjectName(QStringLiteral("metaAugOptions"));
    auto *mf = new QFormLayout(m_meta);
    for (const auto &info : methods::metaAugOptionInfo()) {
        const QString key = QLatin1String(info.key);
        const QString tip = QString::fromUtf8(info.help);
        QWidget *editor = nullptr;
        if (info.boolean) {
            auto *c = new QCheckBox(m_meta);
            c->setChecked(QLatin1String(info.defaultValue) == QLatin1String("true"));
            connect(c, &QCheckBox::toggled, this, &RunSetupPanel::changed);
            editor = c;
        } else if (info.choices) {
            auto *c = new QComboBox(m_meta);
            for (const QString &choice : QString::fromLatin1(info.choices).split(QLatin1Char('|')))
                c->addItem(choice, choice);
            c->setCurrentIndex(c->findData(QLatin1String(info.defaultValue)));
            connect(c, &QComboBox::currentIndexChanged, this, &RunSetupPanel::changed);
            editor = c;
        } else if (info.integer) {
            auto *s = spin(m_meta, info.key, int(info.minimum), int(std::min(info.maximum, 2e9)), QString::fromLatin1(info.defaultValue).toInt(), tip);
            connect(s, &QSpinBox::valueChanged, this, &RunSetupPanel::changed);
            editor = s;
        } else {
            auto *e = new QLineEdit(QLatin1String(info.defaultValue), m_meta);
            e->setPlaceholderText(QLatin1String(info.defaultValue));
            connect(e, &QLineEdit::textChanged, this, &RunSetupPanel::changed);
            editor = e;
        }
        editor->setObjectName(QStringLiteral("meta_") + key);
        editor->setToolTip(tip);
        m_metaFields[key] = editor;
        mf->addRow(QString::fromUtf8(info.label), editor);
    }
    outer->addWidget(m_meta);
    outer->addStretch(1);

    auto updateMeta = [this] { m_meta->setEnabled(m_method->currentData().toString() == QLatin1String("metaaug")); };
    connect(m_method, &QComboBox::currentIndexChanged, this, updateMeta);
    updateMeta();
    connect(m_preset, &QComboBox::activated, this, [this] { applyPreset(m_preset->currentData().toString()); });
    for (QSpinBox *s : {m_wbits, m_abits, m_calib, m_iters, m_batch, m_seed, m_evalLimit, m_threads})
        connect(s, &QSpinBox::valueChanged, this, &RunSetupPanel::changed);
    connect(m_method, &QComboBox::currentIndexChanged, this, &RunSetupPanel::changed);
    connect(m_setting, &QComboBox::currentIndexChanged, this, &RunSetupPanel::changed);
    applyPreset(QStringLiteral("quick"));
}

QStringList RunSetupPanel::presetIds()
{
    QStringList ids;
    for (const RunPreset &p : runPresets())
        ids << p.id;
    return ids;
}

void RunSetupPanel::applyPreset(const QString &id)
{
    if (const RunPreset *p = findRunPreset(id)) {
        m_preset->setCurrentIndex(m_preset->findData(id));
        setSpec(p->spec);
    }
}

QJsonObject RunSetupPanel::spec() const
{
    QJsonObject options;
    if (m_method->currentData().toString() == QLatin1String("metaaug"))
        for (const auto &[key, w] : m_metaFields) {
            if (auto *c = qobject_cast<QComboBox *>(w))
                options[key] = c->currentData().toString();
            else if (auto *b = qobject_cast<QCheckBox *>(w))
                options[key] = b->isChecked();
            else if (auto *s = qobject_cast<QSpinBox *>(w))
                options[key] = s->value();
            else if (auto *e = qobject_cast<QLineEdit *>(w)) {
                bool ok = false;
                const double v = e->text().trimmed().toDouble(&ok);
                options[key] = ok ? QJsonValue(v) : QJsonValue(e->text());  // core names the key of a non-number
            }
        }
    return QJsonObject{{"method", m_method->currentData().toString()},
                       {"wbits", m_wbits->value()},
                       {"abits", m_abits->value()},
                       {"setting", m_setting->currentData().toString()},
                       {"calib_size", m_calib->value()},
                       {"iters", m_iters->value()},
                       {"batch", m_batch->value()},
                       {"seed", QString::number(m_seed->value())},
                       {"eval_limit", m_evalLimit->value()},
                       {"threads", m_threads->value()},
                       {"method_options", options}};
}

void RunSetupPanel::setSpec(const QJsonObject &spec)
{
    auto setCombo = [](QComboBox *c, const QJsonValue &v) {
        if (v.isString() && c->findData(v.toString()) >= 0)
            c->setCurrentIndex(c->findData(v.toString()));
    };
    setCombo(m_method, spec.value("method"));
    setCombo(m_setting, spec.value("setting"));
    const std::pair<const char *, QSpinBox *> spins[] = {{"wbits", m_wbits}, {"abits", m_abits}, {"calib_size", m_calib},
                                                         {"iters", m_iters}, {"batch", m_batch}, {"eval_limit", m_evalLimit},
                                                         {"threads", m_threads}};
    for (const auto &[key, box] : spins)
        if (spec.value(QLatin1String(key)).isDouble())
            box->setValue(spec.value(QLatin1String(key)).toInt());
    if (spec.contains("seed"))
        m_seed->setValue(spec.value("seed").toVariant().toInt());
    const QJsonObject options = spec.value("method_options").toObject();
    for (auto it = options.begin(); it != options.end(); ++it) {
        auto f = m_metaFields.find(it.key());
        if (f == m_metaFields.end())
            continue;
        if (auto *c = qobject_cast<QComboBox *>(f->second))
            setCombo(c, it.value());
        else if (auto *b = qobject_cast<QCheckBox *>(f->second))
            b->setChecked(it.value().toBool());
        else if (auto *s = qobject_cast<QSpinBox *>(f->second))
            s->setValue(it.value().toInt());
        else if (auto *e = qobject_cast<QLineEdit *>(f->second))
            e->setText(it.value().isDouble() ? QString::number(it.value().toDouble()) : it.value().toString());
    }
}

void RunSetupPanel::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("setup/preset"), m_preset->currentData());
    settings.setValue(QStringLiteral("setup/spec"), QJsonDocument(spec()).toJson(QJsonDocument::Compact));
}

void RunSetupPanel::restore(const QSettings &settings)
{
    const QJsonObject saved = QJsonDocument::fromJson(settings.value(QStringLiteral("setup/spec")).toByteArray()).object();
    if (!saved.isEmpty()) {
        m_preset->setCurrentIndex(std::max(0, m_preset->findData(settings.value(QStringLiteral("setup/preset")))));
        setSpec(saved);
    }
}

}  // namespace metaaug::ui
