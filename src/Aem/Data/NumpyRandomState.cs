namespace Aem.Data;

/// <summary>
/// The Mersenne Twister (MT19937) exactly as NumPy's legacy <c>np.random.RandomState(seed)</c> uses it,
/// so that the MAF preprocessing (<c>RandomState(42)</c>: shuffle, then uniform noise) is reproduced
/// draw for draw: <see cref="Shuffle"/> is <c>rng.shuffle</c> and <see cref="NextDouble"/> is
/// <c>rng.rand()</c> (53-bit doubles from two 32-bit outputs).
/// </summary>
internal sealed class NumpyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds like <c>RandomState(seed)</c> with an integer seed (Knuth's init_genrand).</summary>
    public NumpyRandomState(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++)
        {
            _state[i] = unchecked((1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i);
        }
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits, as <c>rng.rand()</c>.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>Uniform integer in [0, <paramref name="max"/>] by masked rejection, as NumPy's <c>random_interval</c>.</summary>
    public uint Interval(uint max)
    {
        if (max == 0)
        {
            return 0;
        }
        uint mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max)
        {
        }
        return value;
    }

    /// <summary>Fisher–Yates from the end, as <c>rng.shuffle</c> (the same swaps for a 1-D array or the rows of a 2-D one).</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The row order <c>rng.shuffle</c> gives an array of <paramref name="count"/> rows: row k of the result is row <c>order[k]</c>.</summary>
    public int[] Permutation(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        Shuffle(order);
        return order;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            uint next = _state[(i + M) % N] ^ (y >> 1);
            _state[i] = (y & 1) != 0 ? next ^ 0x9908b0dfu : next;
        }
        _index = 0;
    }
}
