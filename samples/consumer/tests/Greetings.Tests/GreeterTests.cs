using Xunit;

namespace Greetings.Tests;

public class GreeterTests
{
    [Fact]
    public void Greet_names_the_person() => Assert.Equal("Hello, Bun!", Greeter.Greet("Bun"));
}
