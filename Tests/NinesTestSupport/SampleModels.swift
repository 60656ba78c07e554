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
}
