// SPDX-License-Identifier: GPL-3.0-or-later
#include "quantizedstate.h"

#include <QtCore/QJsonArray>

namespace metaaug::exporting {

namespace {

torch::Tensor perChannel(const torch::Tensor &v, int64_t dim)
{
    std::vector<int64_t> shape(dim, 1);
    shape[0] = -1;
    return v.view(shape);
}

QJsonArray floats(const torch::Tensor &t)
{
    QJsonArray a;
    const torch::Tensor c = t.to(torch::kDouble).contiguous();
    for (int64_t i = 0; i < c.numel(); ++i)
        a.append(c.data_ptr<double>()[i]);
    return a;
}

QJsonArray ints(const std::vector<int64_t> &v)
{
    QJsonArray a;
    for (int64_t x : v)
        a.append(qint64(x));
    return a;
}

// Activation point p as the executor knows it (no quantization yet).
ActivationEncoding pointEncoding(int p, const std::vector<graph::ActivationPoint> &points, const graph::Graph &graph)
{
    ActivationEncoding a;
    a.point = p;
    a.value = points[p].value;
    a.name = points[p].name;
    for (int layer : points[p].layers)
        a.layers.push_back(graph.nodes[layer].name);
    return a;
}

Error bad(const QString &what, const QString &why)
{
    return Error{ErrorCode::InvalidArgument, QStringLiteral("encodings: %1 %2").arg(what, why)};
}

}  // namespace

torch::Tensor LayerEncoding::dequantized() const
{
    const int64_t d = codes.dim();
    return perChannel(scale, d) * (codes.to(torch::kFloat) - perChannel(zeroPoint, d));
}

const LayerEncoding *QuantizedState::layer(int node) const
{
    for (const LayerEncoding &l : layers)
        if (l.node == node)
            return &l;
    return nullptr;
}

const ActivationEncoding *QuantizedState::activationOfValue(int value) const
{
    for (const ActivationEncoding &a : activations)
        if (a.value == value && a.bits > 0)
            return &a;
    return nullptr;
}

Result<QuantizedState> captureState(const quant::QuantizedModel &qmodel, const graph::Graph &graph)
{
    torch::NoGradGuard ng;
    QuantizedState s;
    for (int node : graph.layers()) {
        const graph::Node &n = graph.nodes[node];
        const quant::Rounding r = qmodel.rounding(node);
        if (r == quant::Rounding::Fp || r == quant::Rounding::Soft)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("layer %1 is not fixed on its grid (the run did not finish it)").arg(QString::fromStdString(n.name)));
        const quant::WeightQuantizer &w = qmodel.weight(node);
        LayerEncoding l;
        l.node = node;
        l.name = n.name;
        l.bits = w.bits();
        l.scale = w.scale().detach().to(torch::kFloat).contiguous().clone();
        l.zeroPoint = w.zeroPoint().detach().to(torch::kFloat).contiguous().clone();
        l.codes = w.integerCodes().to(torch::kUInt8).contiguous();
        s.layers.push_back(std::move(l));
    }
    const auto &points = qmodel.executor().activationPoints();
    for (int p = 0; p < int(points.size()); ++p) {
        ActivationEncoding a = pointEncoding(p, points, graph);
        const quant::ActivationQuantizer &q = qmodel.activation(p);
        if (qmodel.activationEnabled(p) && q.initialized()) {
            a.bits = q.bits();
            a.isSigned = q.isSigned();
            a.step = float(q.stepValue());
        }
        s.activations.push_back(std::move(a));
    }
    return s;
}

StateHooks::StateHooks(const QuantizedState &state, const graph::Executor &executor)
{
    for (const LayerEncoding &l : state.layers)
        m_weights[l.node] = l.dequantized();
    m_points.assign(executor.activationPoints().size(), nullptr);
    for (const ActivationEncoding &a : state.activations)
        if (a.bits > 0 && a.point >= 0 && a.point < int(m_points.size()))
            m_points[a.point] = &a;
}

torch::Tensor StateHooks::weight(int node, const graph::Node &layer)
{
    auto it = m_weights.find(node);
    return it == m_weights.end() ? layer.weight : it->second;
}

torch::Tensor StateHooks::activation(int point, const torch::Tensor &x)
{
    const ActivationEncoding *a = m_points[point];
    if (!a)
        return x;
    // The engine's order of operations (fusedlsq.cpp): divide, clamp, round, scale.
    return torch::round(torch::clamp(x / a->step, double(a->qmin()), double(a->qmax()))) * a->step;
}

Encodings toEncodings(const QuantizedState &state, const graph::Graph &graph)
{
    Encodings e;
    QJsonArray layers, acts;
    for (const LayerEncoding &l : state.layers) {
        const graph::Node &n = graph.nodes[l.node];
        layers.append(QJsonObject{{"name", QString::fromStdString(l.name)},
                                  {"op", QLatin1String(graph::opKindName(n.op))},
                                  {"bits", l.bits},
                                  {"shape", ints(l.codes.sizes().vec())},
                                  {"scale", floats(l.scale)},
                                  {"zero_point", floats(l.zeroPoint)},
                                  {"offset", qint64(e.codes.size())},
                                  {"count", qint64(l.codes.numel())}});
        e.codes.append(reinterpret_cast<const char *>(l.codes.data_ptr<uint8_t>()), qsizetype(l.codes.numel()));
    }
    for (const ActivationEncoding &a : state.activations) {
        QJsonArray consumers;
        for (const std::string &c : a.layers)
            consumers.append(QString::fromStdString(c));
        QJsonObject o{{"name", QString::fromStdString(a.name)}, {"layers", consumers}, {"bits", a.bits}};
        if (a.bits > 0) {
            o["signed"] = a.isSigned;
            o["step"] = double(a.step);
            o["qmin"] = qint64(a.qmin());
            o["qmax"] = qint64(a.qmax());
        }
        acts.append(o);
    }
    e.json = QJsonObject{{"format", "metaaug-encodings"},
                         {"version", 1},
                         {"weight_formula", "w = scale[o] * (code - zero_point[o]), codes uint8 row-major per layer"},
                         {"activation_formula", "x_q = step * round(clamp(x / step, qmin, qmax)) at the input of the listed layers"},
                         {"codes_bytes", qint64(e.codes.size())},
                         {"layers", layers},
                         {"activations", acts}};
    return e;
}

Result<QuantizedState> fromEncodings(const Encodings &enc, const graph::Graph &graph, const graph::Executor &executor)
{
    const QJsonObject &j = enc.json;
    if (j.value("format").toString() != QLatin1String("metaaug-encodings") || j.value("version").toInt() != 1)
        return bad(QStringLiteral("file"), QStringLiteral("is not metaaug-encodings version 1"));
    const QJsonArray layers = j.value("layers").toArray();
    const std::vector<int> graphLayers = graph.layers();
    if (layers.size() != qsizetype(graphLayers.size()))
        return bad(QStringLiteral("file"), QStringLiteral("has %1 layers, the model %2").arg(layers.size()).arg(graphLayers.size()));
    QuantizedState s;
    for (int i = 0; i < int(graphLayers.size()); ++i) {
        const graph::Node &n = graph.nodes[graphLayers[i]];
        const QJsonObject o = layers[i].toObject();
        const QString name = o.value("name").toString();
        const QString where = QStringLiteral("layer %1").arg(name);
        if (name != QString::fromStdString(n.name))
            return bad(where, QStringLiteral("is not the model's layer %1 (%2)").arg(i).arg(QString::fromStdString(n.name)));
        LayerEncoding l;
        l.node = graphLayers[i];
        l.name = n.name;
        l.bits = o.value("bits").toInt();
        if (l.bits < 2 || l.bits > 8)
            return bad(where, QStringLiteral("has bits %1 (2..8)").arg(l.bits));
        std::vector<int64_t> shape;
        for (const QJsonValue &d : o.value("shape").toArray())
            shape.push_back(d.toInteger());
        if (shape != n.weight.sizes().vec())
            return bad(where, QStringLiteral("has a shape other than the model's weight"));
        const int64_t count = o.value("count").toInteger(), offset = o.value("offset").toInteger();
        if (count != n.weight.numel() || offset < 0 || offset + count > enc.codes.size())
            return bad(where, QStringLiteral("points outside the codes (offset %1, count %2, %3 bytes)").arg(offset).arg(count).arg(enc.codes.size()));
        const QJsonArray scale = o.value("scale").toArray(), zp = o.value("zero_point").toArray();
        if (scale.size() != shape[0] || zp.size() != shape[0])
            return bad(where, QStringLiteral("needs %1 scales and zero points").arg(shape[0]));
        std::vector<float> sc, z;
        for (int c = 0; c < shape[0]; ++c) {
            sc.push_back(float(scale[c].toDouble()));
            z.push_back(float(zp[c].toDouble()));
            if (!(sc.back() > 0) || !std::isfinite(sc.back()) || z.back() < 0 || z.back() > float((1 << l.bits) - 1))
                return bad(where, QStringLiteral("channel %1 has scale %2 and zero point %3").arg(c).arg(sc.back()).arg(z.back()));
        }
        l.scale = torch::tensor(sc);
        l.zeroPoint = torch::tensor(z);
        l.codes = torch::from_blob(const_cast<char *>(enc.codes.constData() + offset), shape, torch::kUInt8).clone();
        if (l.codes.max().item<int64_t>() > (int64_t(1) << l.bits) - 1)
            return bad(where, QStringLiteral("has codes above 2^%1 - 1").arg(l.bits));
        s.layers.push_back(std::move(l));
    }
    const QJsonArray acts = j.value("activations").toArray();
    const auto &points = executor.activationPoints();
    if (acts.size() != qsizetype(points.size()))
        return bad(QStringLiteral("file"), QStringLiteral("has %1 activation points, the model %2").arg(acts.size()).arg(points.size()));
    for (int p = 0; p < int(points.size()); ++p) {
        const QJsonObject o = acts[p].toObject();
        ActivationEncoding a = pointEncoding(p, points, graph);
        const QString where = QStringLiteral("activation at %1").arg(QString::fromStdString(a.name));
        if (o.value("name").toString() != QString::fromStdString(a.name))
            return bad(where, QStringLiteral("is named %1").arg(o.value("name").toString()));
        a.bits = o.value("bits").toInt();
        if (a.bits != 0 && (a.bits < 2 || a.bits > 8))
            return bad(where, QStringLiteral("has bits %1 (0 or 2..8)").arg(a.bits));
        if (a.bits > 0) {
            a.isSigned = o.value("signed").toBool();
            a.step = float(o.value("step").toDouble());
            if (!(a.step > 0) || !std::isfinite(a.step))
                return bad(where, QStringLiteral("has step %1").arg(a.step));
        }
        s.activations.push_back(std::move(a));
    }
    return s;
}

}  // namespace metaaug::exporting
