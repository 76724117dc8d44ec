// A web app per server fixture (each trains the recognisers as it starts) and browser contexts in one
// Chromium: side by side on the project's 2-core machines, test classes starved pages past their timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
