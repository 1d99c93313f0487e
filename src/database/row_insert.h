// database/row_insert.h — many rows into one table: `INSERT … VALUES (…), (…), …`, a statement per few hundred
// rows, each statement executed exactly once.
//
// Why not Poco's bulk binding (`use(std::vector)`): it prepares one statement and executes it again for every
// row. Poco 1.11's PostgreSQL connector frees a statement's previous result when it executes it again and, when
// that execution fails, frees the same result once more in its destructor — a database that goes away between
// two rows aborted the whole service with "double free" (jobs_MultiInstance.ADatabaseOutage… found it). So no
// Poco statement in zhiping is executed twice; and one statement for many rows is one round trip, not one a row.
//
// Contract: values are bound by reference (Poco's use()), so they must stay alive until InsertRows returns. Runs
// on the caller's connection, inside its transaction if it has one. Throws what the statement throws (Poco
// exceptions; the caller's Database::Translate makes them kUnavailable). Thread safety: the connection's.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace Poco::Data {
class Statement;
}  // namespace Poco::Data

namespace zhiping::database {

class Connection;

// Rows in one statement at most (and never more than kMaxValuesPerStatement values: SQLite's default limit is
// 32,766 bound values, PostgreSQL's 65,535).
constexpr size_t kRowsPerStatement = 500;
constexpr size_t kMaxValuesPerStatement = 30000;

// `head`: "INSERT INTO archive_files (object_id, number, logical_path, digest, size)" (`?`-free); each row has
// `columns` values, bound by `bind_row(statement, row)` in column order (`statement, use(a[row]), use(b[row])`);
// `tail` follows the VALUES list ("" or " ON CONFLICT DO NOTHING"). Nothing is run when `rows` is 0.
void InsertRows(Connection& c, const std::string& head, size_t columns, size_t rows,
                const std::function<void(Poco::Data::Statement&, size_t row)>& bind_row,
                const std::string& tail = "");

}  // namespace zhiping::database
