// SPDX-License-Identifier: GPL-3.0-or-later
// Result<T>: how errors cross core's API. Core's entry points catch LibTorch,
// OpenCV and std exceptions and return them as an Error value; nothing throws
// out of core.
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <exception>
#include <optional>
#include <utility>
#include <variant>

namespace metaaug {

enum class ErrorCode {
    InvalidArgument,  // a value given by the user is out of range or malformed
    NotFound,         // a file, layer or key does not exist
    BadFile,          // a file exists but its content is wrong (truncated, bad magic, ...)
    Unsupported,      // a valid input the engine cannot handle (op kind, format)
    OutOfResources,   // memory or disk would not suffice
    Aborted,          // the caller asked to stop (cancel); not a failure
    Internal,         // an exception from a library that we did not anticipate
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;  // complete sentence naming the file / layer / value at fault
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    // On a temporary these return the value itself (moved out), so that
    // `for (auto &x : *f())` does not iterate a destroyed object.
    T value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T operator*() && { return std::move(*this).value(); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

// Result<void>
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(ErrorCode code, QString message) { return Error{code, std::move(message)}; }

// The first non-empty line of a caught LibTorch/OpenCV exception, for a
// one-line message (their what() carries C++ backtraces or a source excerpt
// after it, announced by a trailing colon, and some begin with a blank line
// or say nothing at all).
inline QString exceptionSummary(const std::exception &e)
{
    const QStringList lines = QString::fromUtf8(e.what()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        QString text = line.trimmed();
        while (text.endsWith(QLatin1Char(':')))
            text.chop(1);
        if (!text.isEmpty())
            return text;
    }
    return QStringLiteral("no reason given");
}

}  // namespace metaaug
