namespace Aem.Data;

/// <summary>How cells are separated on a line: one character, or runs of blanks (spaces, tabs).</summary>
internal readonly record struct Separator(char Character)
{
    /// <summary>Marks blank-separated lines.</summary>
    public const char Blanks = '\0';

    /// <summary>Semicolon, else comma, else blanks — judged from a data line.</summary>
    public static Separator Detect(string line) =>
        line.Contains(';') ? new(';') : line.Contains(',') ? new(',') : new(Blanks);

    public CellCursor Cells(ReadOnlySpan<char> line) => new(line, Character);
}

/// <summary>Walks the cells of one line without allocating.</summary>
internal ref struct CellCursor
{
    private readonly ReadOnlySpan<char> _line;
    private readonly char _separator;
    private int _position;
    private bool _done;

    public CellCursor(ReadOnlySpan<char> line, char separator)
    {
        _line = line;
        _separator = separator;
    }

    /// <summary>The next cell; false when the line is used up. "1,2," has three cells, the last empty.</summary>
    public bool Next(out ReadOnlySpan<char> cell)
    {
        cell = default;
        if (_done)
        {
            return false;
        }
        var rest = _line[_position..];
        if (_separator == Separator.Blanks)
        {
            int start = rest.IndexOfAnyExcept(' ', '\t');
            if (start < 0)
            {
                _done = true;
                return false;
            }
            rest = rest[start..];
            int length = rest.IndexOfAny(' ', '\t');
            if (length < 0)
            {
                length = rest.Length;
            }
            cell = rest[..length];
            _position += start + length;
            return true;
        }
        int at = rest.IndexOf(_separator);
        if (at < 0)
        {
            cell = rest;
            _done = true;
            return true;
        }
        cell = rest[..at];
        _position += at + 1;
        return true;
    }
}
