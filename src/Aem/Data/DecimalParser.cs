namespace Aem.Data;

/// <summary>
/// Clinger's fast path for plain decimals (<c>[+-]digits[.digits][e[+-]digits]</c>): when the digits
/// form an integer w &lt; 2^53 and the power of ten q has |q| ≤ 22, both w and 10^|q| are exact
/// doubles, so the single IEEE multiplication or division <c>w·10^q</c> is correctly rounded — the
/// same value <see cref="double.Parse(string)"/> gives, several times faster. Anything else is left to
/// the framework parser.
/// </summary>
internal static class DecimalParser
{
    private const ulong MaxExact = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>True with the correctly rounded value when the fast path applies; false means "use double.TryParse".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }
        ulong digits = 0;
        int scale = 0, count = 0;
        bool point = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= '0' and <= '9')
            {
                if (digits > (MaxExact - 9) / 10)
                {
                    return false;
                }
                digits = (digits * 10) + (uint)(c - '0');
                count++;
                if (point)
                {
                    scale--;
                }
            }
            else if (c == '.' && !point)
            {
                point = true;
            }
            else
            {
                break;
            }
        }
        if (count == 0)
        {
            return false;
        }
        if (i < text.Length)
        {
            if (text[i] is not ('e' or 'E') || !TryExponent(text[(i + 1)..], out int exponent))
            {
                return false;
            }
            scale += exponent;
        }
        if (scale is < -22 or > 22)
        {
            return false;
        }
        double magnitude = scale >= 0 ? digits * PowersOfTen[scale] : digits / PowersOfTen[-scale];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool TryExponent(ReadOnlySpan<char> text, out int exponent)
    {
        exponent = 0;
        int i = 0, sign = 1;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            sign = text[i] == '-' ? -1 : 1;
            i++;
        }
        if (i == text.Length || text.Length - i > 3)
        {
            return false;
        }
        for (; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return false;
            }
            exponent = (exponent * 10) + (text[i] - '0');
        }
        exponent *= sign;
        return true;
    }
}
