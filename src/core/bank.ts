import type { Item } from './item';
import { yesNoOptions } from './item';
import type { Domain, Manifest, Skill } from './schema/manifest.schema';
import type { CaseDef, EntryDef, MultipleDef, OrderDef, SingleDef } from './schema/question.schema';

/** A problem found in a pack: where (file, item id, field) and what. */
export interface PackProblem {
  readonly file: string;
  readonly id: string;
  readonly field: string;
  readonly message: string;
}

/** A group of items shown together: one standalone question, a series or a case study. */
export interface Unit {
  readonly kind: 'question' | 'series' | 'case';
  readonly id: string;
  readonly items: readonly Item[];
}

/** Thrown when a pack is inconsistent; `problems` lists every finding with file, id and field. */
export class PackError extends Error {
  readonly code = 'sc_pack_invalid';
  constructor(readonly problems: readonly PackProblem[]) {
    super(
      `The question pack is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems
          .slice(0, 20)
          .map((p) => `  ${p.file}: item "${p.id}", field "${p.field}": ${p.message}`)
          .join('\n'),
    );
  }
}

type Plain = SingleDef | MultipleDef | OrderDef;

/**
 * The loaded question bank: the manifest and every answerable item, with lookups.
 * Build it with {@link Bank.build}, which checks consistency (keys, counts, `why`s,
 * domains, sub-skills, unique ids) and throws a {@link PackError} listing every problem.
 */
export class Bank {
  private readonly byId = new Map<string, Item>();
  private readonly domainsById = new Map<string, Domain>();

  private constructor(
    readonly manifest: Manifest,
    readonly items: readonly Item[],
    readonly units: readonly Unit[],
  ) {
    for (const item of items) this.byId.set(item.id, item);
    for (const d of manifest.domains) this.domainsById.set(d.id, d);
  }

  /** Normalises and checks the entries of all question files. */
  static build(
    manifest: Manifest,
    files: ReadonlyArray<{ file: string; entries: readonly EntryDef[] }>,
  ): Bank {
    const problems: PackProblem[] = [];
    const items: Item[] = [];
    const units: Unit[] = [];
    const seen = new Map<string, string>();
    const claim = (file: string, id: string) => {
      const other = seen.get(id);
      if (other) problems.push({ file, id, field: 'id', message: `duplicate id (also in ${other})` });
      else seen.set(id, file);
    };
    const skillsOf = new Map(manifest.domains.map((d) => [d.id, new Set(d.skills.map((s) => s.id))]));
    const checkPlace = (file: string, id: string, domain: string, skill: string) => {
      const skills = skillsOf.get(domain);
      if (!skills) problems.push({ file, id, field: 'domain', message: `unknown domain "${domain}"` });
      else if (!skills.has(skill))
        problems.push({
          file,
          id,
          field: 'skill',
          message: `sub-skill "${skill}" is not in domain "${domain}"`,
        });
    };

    for (const { file, entries } of files) {
      for (const entry of entries) {
        claim(file, entry.id);
        if (entry.type === 'series') {
          checkPlace(file, entry.id, entry.domain, entry.skill);
          const unitItems = entry.statements.map((s, index): Item => {
            claim(file, s.id);
            return {
              id: s.id,
              type: 'yesno',
              domain: entry.domain,
              skill: entry.skill,
              difficulty: s.difficulty ?? entry.difficulty,
              stem: s.text,
              options: yesNoOptions(s.answer, s.explanation),
              key: [s.answer],
              explanation: s.explanation,
              links: s.links ?? entry.links,
              parent: {
                kind: 'series',
                id: entry.id,
                title: 'Does the solution meet the goal?',
                text: entry.stem,
                index,
                size: entry.statements.length,
              },
              file,
            };
          });
          items.push(...unitItems);
          units.push({ kind: 'series', id: entry.id, items: unitItems });
        } else if (entry.type === 'case') {
          const unitItems = entry.questions.map((q, index) => {
            claim(file, q.id);
            return Bank.plain(file, q, problems, checkPlace, caseParent(entry, index));
          });
          items.push(...unitItems);
          units.push({ kind: 'case', id: entry.id, items: unitItems });
        } else {
          const item = Bank.plain(file, entry, problems, checkPlace);
          items.push(item);
          units.push({ kind: 'question', id: item.id, items: [item] });
        }
      }
    }
    if (problems.length > 0) throw new PackError(problems);
    return new Bank(manifest, items, units);
  }

  private static plain(
    file: string,
    def: Plain,
    problems: PackProblem[],
    checkPlace: (file: string, id: string, domain: string, skill: string) => void,
    parent?: Item['parent'],
  ): Item {
    checkPlace(file, def.id, def.domain, def.skill);
    const optionIds = new Set<string>();
    for (const o of def.options) {
      if (optionIds.has(o.id))
        problems.push({ file, id: def.id, field: 'options', message: `duplicate option id "${o.id}"` });
      optionIds.add(o.id);
    }
    const keySet = new Set(def.key);
    if (keySet.size !== def.key.length)
      problems.push({ file, id: def.id, field: 'key', message: 'the key repeats an option' });
    for (const k of def.key) {
      if (!optionIds.has(k))
        problems.push({ file, id: def.id, field: 'key', message: `key "${k}" is not an option id` });
    }
    for (const o of def.options) {
      if (!keySet.has(o.id) && !o.why)
        problems.push({
          file,
          id: def.id,
          field: `options.${o.id}.why`,
          message: 'every wrong option needs a "why"',
        });
    }
    if (def.type === 'multiple' && def.choose !== def.key.length)
      problems.push({
        file,
        id: def.id,
        field: 'choose',
        message: `states ${def.choose} but the key has ${def.key.length}`,
      });
    if (def.type === 'order' && def.options.length < def.key.length)
      problems.push({ file, id: def.id, field: 'key', message: 'more steps than options' });
    return {
      id: def.id,
      type: def.type,
      domain: def.domain,
      skill: def.skill,
      difficulty: def.difficulty,
      stem: def.stem,
      options: def.options,
      key: def.key,
      ...(def.type === 'multiple' ? { choose: def.choose } : {}),
      explanation: def.explanation,
      links: def.links,
      ...(parent ? { parent } : {}),
      file,
    };
  }

  /** The item with this id, or undefined. */
  item(id: string): Item | undefined {
    return this.byId.get(id);
  }

  /** The domain with this id; throws for an unknown id (a bug, since items are checked). */
  domain(id: string): Domain {
    const d = this.domainsById.get(id);
    if (!d) throw new Error(`unknown domain "${id}"`);
    return d;
  }

  /** The sub-skill with this id, or a placeholder for an unknown one. */
  skill(id: string): Skill {
    for (const d of this.manifest.domains) {
      const s = d.skills.find((k) => k.id === id);
      if (s) return s;
    }
    return { id, name: id };
  }

  /** Finds a domain by id, number (`d3`, `3`), name word or alias; case-insensitive. */
  findDomain(word: string): Domain | undefined {
    const w = word.toLowerCase();
    const num = /^d(\d)$/.exec(w);
    return this.manifest.domains.find(
      (d) =>
        d.id === w ||
        (num && d.number === Number(num[1])) ||
        d.aliases.some((a) => a.toLowerCase() === w) ||
        d.name.toLowerCase() === w,
    );
  }
}

function caseParent(entry: CaseDef, index: number): Item['parent'] {
  return {
    kind: 'case',
    id: entry.id,
    title: entry.title,
    text: entry.scenario,
    index,
    size: entry.questions.length,
  };
}
