import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { abilitiesSchema, errorResponses, IdParams, named, Nullable, Uuid } from "../../platform/http/schemas.js";
import { compoundPolicy, placePolicy } from "./policy.js";
import type { Geometry } from "../../platform/geojson.js";
import { placesMap } from "./map.js";
import {
  createBuilding,
  createCompound,
  createDwelling,
  createUnit,
  deleteBuilding,
  deleteCompound,
  deleteDwelling,
  deleteUnit,
  getBuilding,
  listBuildings,
  listCompounds,
  renameUnit,
  updateBuilding,
  updateCompound,
  updateDwelling,
} from "./service.js";

const Name = Type.String({ minLength: 1, maxLength: 60 });
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Footprint = Type.Union([
  Type.Object({ type: Type.Literal("Polygon"), coordinates: Type.Array(Type.Array(Position)) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal("MultiPolygon"), coordinates: Type.Array(Type.Array(Type.Array(Position))) }, { additionalProperties: false }),
  Type.Null(),
]);
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

const Compound = named("Compound", Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  name: Type.String(),
  address: Type.String(),
  buildingCount: Type.Integer(),
  abilities: Type.Optional(abilitiesSchema(compoundPolicy)),
}));
const BuildingSummary = Type.Object({
  id: Type.String(),
  compoundId: Type.String(),
  compoundName: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  name: Type.String(),
  floors: Type.Integer(),
  lng: Type.Number(),
  lat: Type.Number(),
  unitCount: Type.Integer(),
  dwellingCount: Type.Integer(),
  householdCount: Type.Integer(),
});
const BuildingDetailProps = {
  ...BuildingSummary.properties,
  communityId: Type.String(),
  footprint: Footprint,
  buildingHeads: Type.Array(Type.Object({ personId: Type.String(), name: Type.String() })),
  units: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      dwellings: Type.Array(
        Type.Object({
          id: Type.String(),
          floor: Type.Integer(),
          roomNo: Type.String(),
          floorAreaM2: Nullable(Type.Number()),
          households: Type.Array(Type.Object({ id: Type.String(), headName: Type.String({ description: "masked unless the role needs it" }), size: Type.Integer() })),
        }),
      ),
    }),
  ),
  masked: Type.Boolean(),
  abilities: abilitiesSchema(placePolicy, ["editHouseholds"]),
};
const BuildingDetail = named("BuildingDetail", Type.Object(BuildingDetailProps));
const Regrid = Nullable(
  Type.Object({ fromGridId: Type.String(), toGridId: Type.String(), households: Type.Integer(), redGridDropped: Type.Integer(), redGridPinnedKept: Type.Integer() }),
);
const Unit = named("DwellingUnit", Type.Object({ id: Type.String(), buildingId: Type.String(), name: Type.String() }));
const Dwelling = named("Dwelling", Type.Object({
  id: Type.String(),
  unitId: Type.String(),
  buildingId: Type.String(),
  gridId: Type.String(),
  floor: Type.Integer(),
  roomNo: Type.String(),
  floorAreaM2: Nullable(Type.Number()),
}));
const MapPosition = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });
const MapPolygon = Type.Union([
  Type.Object({ type: Type.Literal("Polygon"), coordinates: Type.Array(Type.Array(MapPosition)) }),
  Type.Object({ type: Type.Literal("MultiPolygon"), coordinates: Type.Array(Type.Array(Type.Array(MapPosition))) }),
]);
const PlaceMap = named("PlaceMap", Type.Object({
  type: Type.Literal("FeatureCollection"),
  features: Type.Array(
    Type.Union([
      Type.Object({
        type: Type.Literal("Feature"),
        geometry: MapPolygon,
        properties: Type.Object({
          kind: Type.Literal("compound"),
          id: Type.String(),
          name: Type.String(),
          buildingCount: Type.Integer({ description: "buildings of the compound drawn here (in your scope and the bbox)" }),
        }),
      }, { description: "a compound (小区): the outline around its buildings" }),
      Type.Object({
        type: Type.Literal("Feature"),
        geometry: Type.Union([MapPolygon, Type.Object({ type: Type.Literal("Point"), coordinates: MapPosition })]),
        properties: Type.Object({
          kind: Type.Literal("building"),
          id: Type.String(),
          name: Type.String(),
          compoundId: Type.String(),
          compoundName: Type.String(),
          gridId: Type.String(),
          floors: Type.Integer(),
        }),
      }, { description: "a building (楼栋): its footprint, or its point when none is recorded" }),
    ]),
  ),
  truncated: Type.Boolean({ description: "more buildings matched than one answer holds (5000): narrow the bbox" }),
}));
const FloorArea = Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100000 }));

export async function placeRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.get(
    "/api/compounds",
    {
      schema: {
        tags: ["places"],
        summary: "Compounds (小区/院落) of a community",
        querystring: Type.Object({ communityId: Uuid }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Compound) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listCompounds(db(), actor, req.query.communityId) };
    },
  );

  app.post(
    "/api/compounds",
    {
      schema: {
        tags: ["places"],
        summary: "Register a compound in a community",
        body: Type.Object({ communityId: Uuid, name: Name, address: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: Compound, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createCompound(db(), actor, req.body));
    },
  );

  app.patch(
    "/api/compounds/:id",
    {
      schema: {
        tags: ["places"],
        summary: "Rename a compound or correct its street address",
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Name), address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Compound, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateCompound(db(), actor, req.params.id, req.body);
    },
  );

  app.delete(
    "/api/compounds/:id",
    { schema: { tags: ["places"], summary: "Delete a compound that has no buildings", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      await deleteCompound(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/places/map",
    {
      schema: {
        tags: ["places"],
        summary: "The compounds and buildings under an area as GeoJSON (WGS-84), for its map: within your scope, optionally within a bbox",
        querystring: Type.Object(
          {
            areaId: Uuid,
            bbox: Type.Optional(Type.String({ maxLength: 120, pattern: "^[-0-9., ]+$", description: "minLng,minLat,maxLng,maxLat" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PlaceMap, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return placesMap(db(), actor, req.query);
    },
  );

  app.get(
    "/api/buildings",
    {
      schema: {
        tags: ["places"],
        summary: "Buildings (楼栋) of a grid or of a compound, within your scope",
        querystring: Type.Object({ gridId: Type.Optional(Uuid), compoundId: Type.Optional(Uuid) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Type.Object({ items: Type.Array(BuildingSummary) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listBuildings(db(), actor, req.query) };
    },
  );

  app.get(
    "/api/buildings/:id",
    {
      schema: {
        tags: ["places"],
        summary: "A building with its units, dwellings and the households living there (names masked unless the role needs them; clear reads audited)",
        params: IdParams,
        response: { 200: BuildingDetail, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getBuilding(db(), actor, req.params.id);
    },
  );

  app.post(
    "/api/buildings",
    {
      schema: {
        tags: ["places"],
        summary: "Register a building in a compound; its point must lie in a grid of the compound's community (the grid comes from the point)",
        body: Type.Object(
          { compoundId: Uuid, name: Name, floors: Type.Integer({ minimum: 1, maximum: 200 }), lng: Lng, lat: Lat, footprint: Type.Optional(Footprint) },
          { additionalProperties: false },
        ),
        response: { 201: BuildingDetail, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createBuilding(db(), app.ctx.gridIndex, actor, { ...req.body, footprint: req.body.footprint as Geometry | null | undefined }));
    },
  );

  app.patch(
    "/api/buildings/:id",
    {
      schema: {
        tags: ["places"],
        summary: "Edit a building; a new point in another grid moves its dwellings, households and persons to that grid",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), floors: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), lng: Type.Optional(Lng), lat: Type.Optional(Lat), footprint: Type.Optional(Footprint) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ ...BuildingDetailProps, regrid: Regrid }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateBuilding(db(), app.ctx.gridIndex, actor, req.params.id, { ...req.body, footprint: req.body.footprint as Geometry | null | undefined });
    },
  );

  app.delete(
    "/api/buildings/:id",
    { schema: { tags: ["places"], summary: "Delete a building that has no units", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      await deleteBuilding(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/buildings/:id/units",
    {
      schema: {
        tags: ["places"],
        summary: "Add a unit (单元) to a building",
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: Unit, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createUnit(db(), actor, req.params.id, req.body));
    },
  );

  app.patch(
    "/api/units/:id",
    {
      schema: {
        tags: ["places"],
        summary: "Rename a unit",
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 200: Unit, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return renameUnit(db(), actor, req.params.id, req.body);
    },
  );

  app.delete(
    "/api/units/:id",
    { schema: { tags: ["places"], summary: "Delete a unit that has no dwellings", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      await deleteUnit(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/units/:id/dwellings",
    {
      schema: {
        tags: ["places"],
        summary: "Add a dwelling (房屋) to a unit: floor within the building's floors, room number unique in the unit",
        params: IdParams,
        body: Type.Object(
          { floor: Type.Integer({ minimum: 1, maximum: 200 }), roomNo: Type.String({ minLength: 1, maxLength: 20 }), floorAreaM2: Type.Optional(FloorArea) },
          { additionalProperties: false },
        ),
        response: { 201: Dwelling, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createDwelling(db(), actor, req.params.id, req.body));
    },
  );

  app.patch(
    "/api/dwellings/:id",
    {
      schema: {
        tags: ["places"],
        summary: "Correct a dwelling's floor area",
        params: IdParams,
        body: Type.Object({ floorAreaM2: FloorArea }, { additionalProperties: false }),
        response: { 200: Dwelling, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateDwelling(db(), actor, req.params.id, req.body);
    },
  );

  app.delete(
    "/api/dwellings/:id",
    { schema: { tags: ["places"], summary: "Delete a dwelling nobody lives in", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      await deleteDwelling(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
