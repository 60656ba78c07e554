import Foundation

/// Models more than one test target reads.
public enum SampleModels {
    /// A shop with two journeys: browsing through `web`, uploads through `upload-api`, which
    /// also needs a single image store in one zone; a standby database under both.
    public static let journeyShop = """
        nines: 1
        name: shop
        entry: web
        domains:
          zone-a: {mtbf: 2y, mttr: 4h}
          zone-b: {mtbf: 2y, mttr: 4h}
        journeys:
          browse: {entry: web, traffic: 70%}
          upload: {entry: upload-api, traffic: 30%, downtime_cost: 9000/h, sla: 99.9%}
        components:
          web: {replicas: 2, full: 2, placement: [zone-a, zone-b], mtbf: 30d, mttr: 10m, depends_on: [db]}
          upload-api: {replicas: 2, full: 2, placement: [zone-a, zone-b], mtbf: 30d, mttr: 10m, depends_on: [db, images]}
          images: {replicas: 1, placement: [zone-a], mtbf: 60d, mttr: 1h}
          db: {replicas: 2, mode: standby, failover: {detect: 30s, switchover: 30s}, placement: [zone-a, zone-b], mtbf: 180d, mttr: 2h}
        business:
          downtime_cost: 5000/h
        """

    /// Two regional stacks behind a failover group (`FAILOVER` stands for the group's
    /// failover and replication keys), a cause on one stack's tier and a standby database.
    public static let twoStacks = """
        nines: 1
        name: two stacks
        entry: dns
        domains:
          east: {mtbf: 1y, mttr: 8h}
          west: {mtbf: 1y, mttr: 8h}
        causes:
          push: {mtbf: 4000h, mttr: 30m, hits: [app-east]}
        components:
          dns:
            depends_on: {any: [stack-east, stack-west], FAILOVER}
          stack-east: {depends_on: [app-east, db-east]}
          stack-west: {depends_on: [app-west]}
          app-east: {replicas: 3, need: 2, full: 3, placement: [east], mtbf: 500h, mttr: 1h}
          db-east: {replicas: 2, mode: standby, failover: {detect: 30s, switchover: 30s}, placement: [east], mtbf: 2000h, mttr: 2h}
          app-west: {replicas: 2, need: 1, full: 2, placement: [west], mtbf: 500h, mttr: 1h}
        """

    /// ``twoStacks`` with a DNS failover and async lag between the stacks.
    public static let twoStacksWithDNS = twoStacks.replacingOccurrences(
        of: "FAILOVER", with: "failover: {detect: 3m, switchover: 5m, coverage: 0.95, manual: 1h}, replication: {mode: async, lag: 4s}")
}
