using DecentralizedKD.Core.Memory;
using Xunit;

namespace DecentralizedKD.Core.Tests.Memory;

public sealed class FloatBufferPoolTests
{
    [Fact]
    public void The_last_release_returns_the_buffer_and_the_next_rent_of_that_length_reuses_it()
    {
        var pool = new FloatBufferPool();
        var a = pool.Rent(5);
        a.Retain();                       // a second holder
        a.Release();
        Assert.Equal(new FloatBufferPoolCounters(1, 0, 1, 1), pool.Counters);
        a.Release();                      // the last holder
        Assert.Equal(0, a.Holders);
        Assert.Equal(0, pool.Counters.Outstanding);
        var b = pool.Rent(5);
        Assert.Same(a.Array, b.Array);
        var c = pool.Rent(3);             // another length never gets a buffer of the wrong size
        Assert.Equal(3, c.Array.Length);
        Assert.Equal(new FloatBufferPoolCounters(3, 1, 2, 2), pool.Counters);
    }

    [Fact]
    public void Holding_a_returned_buffer_or_releasing_it_twice_is_an_error()
    {
        var pool = new FloatBufferPool();
        var a = pool.Rent(2);
        a.Release();
        Assert.Throws<InvalidOperationException>(a.Retain);
        var b = pool.Rent(4);
        b.Release();
        Assert.Throws<InvalidOperationException>(b.Release);
    }
}
