namespace Aem.Data;

/// <summary>
/// Input data that cannot be used: a missing or unreadable file, a malformed cell, a truncated
/// binary, a constant column, too few rows... The message is one line naming the file and, where
/// they apply, the row and column, e.g. <c>data.csv: row 17, column 3: 'abc' is not a number</c>.
/// </summary>
/// <remarks>
/// <see cref="Row"/> is the 1-based line number in a text file (the header line counts) and the
/// 1-based row index of an array in a binary file (.npy, HDF5). <see cref="Column"/> is 1-based.
/// </remarks>
public sealed class DataFormatException : Exception
{
    /// <summary>A problem at a place in <paramref name="file"/>; the message reads "file: row r, column c: problem".</summary>
    /// <param name="file">The file (or folder) at fault, as the user named it.</param>
    /// <param name="row">1-based line (text) or array row (binary); null when the problem is not in one row.</param>
    /// <param name="column">1-based column; null when the problem is not in one column.</param>
    /// <param name="problem">What is wrong, without the location.</param>
    public DataFormatException(string file, int? row, int? column, string problem)
        : base(Format(file, row, column, problem))
    {
        File = file;
        Row = row;
        Column = column;
        Problem = problem;
    }

    /// <summary>A problem with <paramref name="file"/> as a whole; the message reads "file: problem".</summary>
    /// <param name="file">The file (or folder) at fault, as the user named it.</param>
    /// <param name="problem">What is wrong.</param>
    public DataFormatException(string file, string problem)
        : this(file, row: null, column: null, problem)
    {
    }

    /// <summary>A problem with <paramref name="file"/> as a whole caused by <paramref name="inner"/> (an I/O or parser error).</summary>
    /// <param name="file">The file (or folder) at fault, as the user named it.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The error that revealed it.</param>
    public DataFormatException(string file, string problem, Exception inner)
        : base(Format(file, null, null, problem), inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>An unlocated problem with an empty message (for serialisers and frameworks); prefer the constructors that name the file.</summary>
    public DataFormatException()
    {
        File = "";
        Problem = "";
    }

    /// <summary>An unlocated problem: <paramref name="message"/> is used as it is and <see cref="File"/> is empty.</summary>
    /// <param name="message">The whole message.</param>
    public DataFormatException(string message) : base(message)
    {
        File = "";
        Problem = message;
    }

    /// <summary>An unlocated problem caused by <paramref name="inner"/>: <paramref name="message"/> is used as it is and <see cref="File"/> is empty.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="inner">The error that revealed it.</param>
    public DataFormatException(string message, Exception inner) : base(message, inner)
    {
        File = "";
        Problem = message;
    }

    /// <summary>The file (or folder) at fault, as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line (text) or array row (binary); null when the problem is not in one row.</summary>
    public int? Row { get; }

    /// <summary>1-based column; null when the problem is not in one column.</summary>
    public int? Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Problem { get; }

    private static string Format(string file, int? row, int? column, string problem)
    {
        string where = (row, column) switch
        {
            (int r, int c) => $"row {r}, column {c}: ",
            (int r, null) => $"row {r}: ",
            (null, int c) => $"column {c}: ",
            _ => "",
        };
        return $"{file}: {where}{problem}";
    }
}
