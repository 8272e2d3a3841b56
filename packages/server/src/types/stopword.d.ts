/** The part of `stopword` 3.x Parley uses: its ISO 639-3 stop-word lists (the package ships no types). */
declare module "stopword" {
  export const eng: string[];
  export const ind: string[];
}
