#include "database/row_insert.h"

#include <Poco/Data/Statement.h>

#include <algorithm>

#include "database/database.h"

namespace zhiping::database {

void InsertRows(Connection& c, const std::string& head, size_t columns, size_t rows,
                const std::function<void(Poco::Data::Statement&, size_t row)>& bind_row, const std::string& tail) {
  if (rows == 0 || columns == 0) return;
  const size_t per_statement = std::max<size_t>(1, std::min(kRowsPerStatement, kMaxValuesPerStatement / columns));
  const std::string one_row = PlaceholderList(columns);
  for (size_t first = 0; first < rows; first += per_statement) {
    const size_t last = std::min(rows, first + per_statement);
    std::string sql = head + " VALUES ";
    sql.reserve(sql.size() + (last - first) * (one_row.size() + 2) + tail.size());
    for (size_t row = first; row < last; ++row) {
      if (row != first) sql += ", ";
      sql += one_row;
    }
    sql += tail;
    Poco::Data::Statement statement(c.session());
    statement << c.Sql(sql);
    for (size_t row = first; row < last; ++row) bind_row(statement, row);
    statement.execute();
  }
}

}  // namespace zhiping::database
