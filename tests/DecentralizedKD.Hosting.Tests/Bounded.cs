namespace DecentralizedKD.Hosting.Tests;

/// <summary>Waits that always end: a run that fails early must fail its test, never hang the suite.</summary>
public static class Bounded
{
    /// <summary>Polls <paramref name="condition"/> until it holds, or fails the test after <paramref name="seconds"/>.</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Xunit.Assert.True(condition(), $"waited {seconds}s for {what}");
    }
}
