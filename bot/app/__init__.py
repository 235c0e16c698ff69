"""The application layer outside the neutral core: settings from the environment, the composition
root that wires storage, policy, platforms and services, the APScheduler alarm, and the
`tigerbird` command line. Only this layer (and the adapters) may import SDKs."""
