using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.TestSupport;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

public sealed class HoconBracketsTests
{
    [Theory]
    [InlineData("experiment { a = 1 }")]
    [InlineData("experiment { name = \"a { b [\" }")]                   // brackets inside a string
    [InlineData("experiment { name = \"say \\\"}\\\"\" }")]             // escaped quotes inside a string
    [InlineData("experiment { # a { comment\n x = [1, 2] }")]           // brackets inside a # comment
    [InlineData("experiment { // a } comment\n x = 1 }")]               // and a // comment
    [InlineData("experiment { text = \"\"\"multi { line\n\"\"\" }")]    // triple-quoted string over two lines
    public void Balanced_text_passes(string text) => HoconBrackets.Check(text, "t.conf");

    [Theory]
    [InlineData("experiment {\n  agents = 4\n", "t.conf: '{' opened on line 1 is never closed (missing '}')")]
    [InlineData("experiment { a = 1 }\n}", "t.conf line 2: '}' without a matching '{'")]
    [InlineData("experiment {\n x = [1, 2 }\n", "t.conf line 2: '}' closes the '[' opened on line 2")]
    [InlineData("experiment {\n name = \"open\n}", "t.conf line 2: unterminated string")]
    [InlineData("a {\n b {\n c = 1\n }\n", "t.conf: '{' opened on line 1 is never closed (missing '}')")]
    public void Unbalanced_text_names_the_line(string text, string expected) =>
        Assert.Equal(expected, Assert.Throws<InputException>(() => HoconBrackets.Check(text, "t.conf")).Message);

    [Fact]
    public void Every_shipped_config_is_balanced()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.FullName, "hocon"), "*.conf", SearchOption.AllDirectories);
        Assert.True(files.Length >= 3);
        foreach (string f in files) HoconBrackets.Check(File.ReadAllText(f), f);
    }
}
